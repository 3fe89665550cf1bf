using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>The cosmology builtins: `wcdm`, redshift bins, the weak-lensing tracer, `angular_cl` and the log-normal shifts.</summary>
public static partial class Lib
{
    /// <summary>
    /// `wcdm(omega_c, omega_b, h, n_s, sigma_8, w_0, w_a = 0)`: flat wCDM cosmologies (other constants as jax-cosmo's
    /// Planck15). Each parameter is a scalar, batched ([B]) or not; the cosmology is batched when any parameter is.
    /// </summary>
    public static CosmologyObject Wcdm(Ev omegaC, Ev omegaB, Ev h, Ev nS, Ev sigma8, Ev w0, Ev? wA)
    {
        var all = new List<Ev> { omegaC, omegaB, h, nS, sigma8, w0 };
        if (wA is { } a) all.Add(a);
        foreach (var p in all)
            if (p.EventRank != 0) throw new ArgumentException($"wcdm: every parameter must be a scalar; one has shape [{string.Join(", ", p.Value.shape)}]");
        bool batched = all.Any(p => p.Batched);
        long b = batched ? all.First(p => p.Batched).Value.shape[0] : 1;
        Tensor Column(Ev p) => p.Batched ? p.Value : p.Value.reshape(1).expand(b);
        var wa = wA is { } given ? Column(given) : zeros(b, dtype: omegaC.Value.dtype, device: omegaC.Value.device);
        var parameters = new CosmologyParameters(Column(omegaC), Column(omegaB), Column(h), Column(nS), Column(sigma8), Column(w0), wa);
        return new CosmologyObject(parameters, batched);
    }

    /// <summary>
    /// `smail_bins(a, b, z0, nbins, n_gal, photoz = 0.05, z_max = 10)`: nbins equal-count tomographic bins of the Smail
    /// distribution n(z) ∝ z^a exp(−(z/z0)^b) on [0, z_max] with n_gal galaxies per arcmin² in all, each bin smeared by a
    /// Gaussian photo-z error σ_z = photoz·(1 + z). Data only.
    /// </summary>
    public const long MaxRedshiftBins = 100;

    public static RedshiftBinsObject SmailBins(Ev a, Ev b, Ev z0, long nbins, Ev nGal, Ev? photoz, Ev? zMax, ScalarType real, Device device)
    {
        double Number(Ev v, string name)
        {
            if (v.Batched || v.EventRank != 0) throw new ArgumentException($"smail_bins: {name} must be a number fixed by the data");
            return v.Value.to_type(ScalarType.Float64).item<double>();
        }
        double pz = photoz is { } p ? Number(p, "photoz") : 0.05;
        double top = zMax is { } zm ? Number(zm, "z_max") : 10.0;
        double z0Value = Number(z0, "z0"), galaxies = Number(nGal, "n_gal");
        if (nbins < 1) throw new ArgumentException($"smail_bins: nbins must be at least 1, not {nbins}");
        if (nbins > MaxRedshiftBins) throw new ArgumentException($"smail_bins: nbins must be at most {MaxRedshiftBins}, not {nbins}");
        if (!(z0Value > 0)) throw new ArgumentException($"smail_bins: z0 must be positive, not {z0Value}");
        if (!(top > 0)) throw new ArgumentException($"smail_bins: z_max must be positive, not {top}");
        if (!(pz > 0)) throw new ArgumentException($"smail_bins: photoz must be positive, not {pz}");
        if (!(galaxies > 0)) throw new ArgumentException($"smail_bins: n_gal must be positive, not {galaxies}");
        var parent = new SmailRedshift(Number(a, "a"), Number(b, "b"), z0Value, top, galaxies);
        var bins = TomographicBins.EqualCounts(parent, (int)nbins, pz);
        return new RedshiftBinsObject(bins, bins.Edges, real, device);
    }

    /// <summary>`lsst_y10_bins()`: the LSST Y10 benchmark's five bins (Smail a = 2, b = 0.68, z0 = 0.11, 27 gal/arcmin², photo-z 0.05).</summary>
    public static RedshiftBinsObject LsstY10Bins(ScalarType real, Device device)
    {
        var bins = TomographicBins.LsstY10();
        return new RedshiftBinsObject(bins, bins.Edges, real, device);
    }

    /// <summary>`weak_lensing(bins, sigma_e = 0.26)`: the cosmic-shear tracer of the bins with shape noise σ_e. Data only.</summary>
    public static WeakLensingObject WeakLensing(RedshiftBinsObject bins, Ev? sigmaE, ScalarType real, Device device)
    {
        double sigma = 0.26;
        if (sigmaE is { } s)
        {
            if (s.Batched || s.EventRank != 0) throw new ArgumentException("weak_lensing: sigma_e must be a number fixed by the data");
            sigma = s.Value.to_type(ScalarType.Float64).item<double>();
        }
        if (!(sigma >= 0)) throw new ArgumentException($"weak_lensing: sigma_e must be non-negative, not {sigma}");
        return new WeakLensingObject(new WeakLensingTracer(bins.Bins, sigma), real, device);
    }

    /// <summary>
    /// `angular_cl(cosmo, tracer, ell)`: the Limber C_ell of every bin pair at the multipoles ell (data), [npairs, nell],
    /// with the batch axis first when the cosmology is batched.
    /// </summary>
    public static Tensor AngularCl(CosmologyObject cosmo, WeakLensingObject tracer, Ev ell)
    {
        if (ell.Batched) throw new ArgumentException("angular_cl: ell must not depend on random variables");
        if (ell.EventRank != 1) throw new ArgumentException("angular_cl: ell must be a vector");
        using var scope = NewDisposeScope();
        var c = cosmo.Parameters;
        var chunks = new List<Tensor>();
        for (long start = 0; start < c.BatchSize; start += CosmologiesPerLimberCall)
            chunks.Add(Limber.AngularCl(Slice(c, start, Math.Min(CosmologiesPerLimberCall, c.BatchSize - start)), tracer.Tracer, ell.Value));
        var cl = chunks.Count == 1 ? chunks[0] : cat(chunks, 0);
        return cosmo.Result(cl).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cosmologies per call of the Limber integral: its lensing efficiencies hold ~1.3·10⁵ elements per cosmology and bin
    /// pair of grids (513 × 257), so a batch of thousands (a simulation chunk) is split to keep temporaries to tens of MB.
    /// </summary>
    private const long CosmologiesPerLimberCall = 32;

    private static CosmologyParameters Slice(CosmologyParameters c, long start, long count) =>
        start == 0 && count == c.BatchSize
            ? c
            : new CosmologyParameters(c.OmegaC.narrow(0, start, count), c.OmegaB.narrow(0, start, count), c.H.narrow(0, start, count),
                c.NS.narrow(0, start, count), c.Sigma8.narrow(0, start, count), c.W0.narrow(0, start, count), c.WA.narrow(0, start, count));

    /// <summary>`shift_table(grid)`: a log-normal shift table from a grid of shape (n0, n1, n2, nbins, 5) (data).</summary>
    public static ShiftTableObject ShiftTable(Ev grid)
    {
        if (grid.Batched) throw new ArgumentException("shift_table: the grid must not depend on random variables");
        var values = grid.Value.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        if (!LognormalShiftTable.TryCreate(values, grid.Value.shape, out var table, out var error))
            throw new ArgumentException($"shift_table: {error}");
        var shifts = grid.Value.select(-1, 4).contiguous();
        return new ShiftTableObject(table!, shifts);
    }

    /// <summary>
    /// `lognormal_shift(cosmo, table, corrected = false)`: the shift λ_i of every bin at the cosmology's (Ω_m, σ_8, w_0),
    /// [nbins] (batch first when the cosmology is batched): sbi_lens's lookup by default, the corrected one on request.
    /// </summary>
    public static Tensor LognormalShift(CosmologyObject cosmo, ShiftTableObject table, bool corrected)
    {
        using var scope = NewDisposeScope();
        var shifts = table.Table.Lookup(cosmo.Parameters, corrected ? ShiftLookup.Corrected : ShiftLookup.Reference);
        return cosmo.Result(shifts).MoveToOuterDisposeScope();
    }

    /// <summary>`lsst_y10_shift_grid()`: the LSST Y10 benchmark's shift grid shipped with the library, real[8, 8, 8, 5, 5].</summary>
    public static Tensor LsstY10ShiftGrid(ScalarType real, Device device)
    {
        var (values, shape) = LognormalShiftTable.LsstY10Grid();
        return tensor(values, dtype: real, device: device).reshape(shape);
    }
}
