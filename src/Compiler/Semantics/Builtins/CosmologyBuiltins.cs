using Ppl.Compiler.Lowering;
using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// The differentiable cosmology library (Ppl.Runtime.Cosmology) as language builtins, returning objects with typed fields:
/// `wcdm` → a cosmology (batched when its parameters are), `smail_bins` / `lsst_y10_bins` → redshift bins and
/// `weak_lensing` → a tracer (data only, computed once when the data are bound), `angular_cl` → the C_ell of every bin pair,
/// `shift_table` / `lognormal_shift` / `lsst_y10_shift_grid` → the log-normal shifts. The map primitive `interp_unsorted`
/// (<see cref="UnsortedInterpolationBuiltins"/>) is registered with them.
/// </summary>
internal static class CosmologyBuiltins
{
    /// <summary>The arguments of smail_bins that must be data-only scalars.</summary>
    private static readonly string[] SmailBinsDataArguments = ["a", "b", "z0", "n_gal", "photoz", "z_max"];

    public const string CosmologyKind = "cosmology";
    public const string BinsKind = "redshift_bins";
    public const string TracerKind = "weak_lensing";
    public const string ShiftTableKind = "shift_table";

    private static BuiltinParameter Tensor(string name, bool optional = false) => new(name, ArgKind.Tensor, optional);

    private static BuiltinParameter Object(string name) => new(name, ArgKind.Object);

    public static IEnumerable<Builtin> All() => Cosmology().Concat(UnsortedInterpolationBuiltins.All());

    private static IEnumerable<Builtin> Cosmology()
    {
        yield return new Builtin("wcdm", EmitStyle.Library, "Wcdm",
            new[] { Tensor("omega_c"), Tensor("omega_b"), Tensor("h"), Tensor("n_s"), Tensor("sigma_8"), Tensor("w_0"), Tensor("w_a", optional: true) }, c =>
            {
                for (int i = 0; i < c.Builtin.Parameters.Count; i++)
                    if (c.Arg(i) is { } a && RealScalar(c, a, c.Builtin.Parameters[i].Name) is null) return null;
                var scalar = TensorType.RealScalar;
                return new ObjectType(CosmologyKind, new Dictionary<string, SemType>
                {
                    ["omega_c"] = scalar, ["omega_b"] = scalar, ["omega_m"] = scalar, ["h"] = scalar,
                    ["n_s"] = scalar, ["sigma_8"] = scalar, ["w_0"] = scalar, ["w_a"] = scalar,
                });
            },
            "wcdm(omega_c, omega_b, h, n_s, sigma_8, w_0, w_a = 0): flat wCDM cosmologies (no radiation, other constants as jax-cosmo's Planck15); fields omega_c, omega_b, omega_m, h, n_s, sigma_8, w_0, w_a");

        foreach (var b in BackgroundBuiltins()) yield return b;

        yield return new Builtin("smail_bins", EmitStyle.Library, "SmailBins",
            new[]
            {
                Tensor("a"), Tensor("b"), Tensor("z0"), new BuiltinParameter("nbins", ArgKind.Size), Tensor("n_gal"),
                Tensor("photoz", optional: true), Tensor("z_max", optional: true),
            }, c =>
            {
                foreach (var name in SmailBinsDataArguments)
                    if (c.Arg(name) is { } a && DataScalar(c, a, name) is null) return null;
                var n = c.SizeDim(c.Arg("nbins"), "nbins");
                return n is null ? null : Bins(c, n, c.Arg("nbins")!);
            },
            "smail_bins(a, b, z0, nbins, n_gal, photoz = 0.05, z_max = 10): nbins equal-count tomographic bins of n(z) ∝ z^a exp(−(z/z0)^b) on [0, z_max], n_gal galaxies per arcmin² in all, photo-z error photoz·(1 + z); data only; fields n_gal, edges, first, second, pair")
        { Creates = true };

        yield return new Builtin("lsst_y10_bins", EmitStyle.Library, "LsstY10Bins", Array.Empty<BuiltinParameter>(),
            c => Bins(c, Dim.Of(5), null),
            "lsst_y10_bins(): the LSST Y10 benchmark's bins, smail_bins(2.0, 0.68, 0.11, 5, 27.0, photoz = 0.05)")
        { Creates = true };

        yield return new Builtin("weak_lensing", EmitStyle.Library, "WeakLensing", new[] { Object("bins"), Tensor("sigma_e", optional: true) }, c =>
            {
                var bins = RequireObject(c, c.Arg(0), BinsKind);
                if (bins is null) return null;
                if (c.Arg(1) is { } s && DataScalar(c, s, "sigma_e") is null) return null;
                var fields = new Dictionary<string, SemType>(bins.Fields) { ["sigma_e"] = TensorType.RealScalar };
                fields["noise_cl"] = fields["n_gal"];
                fields.Remove("edges");
                return new ObjectType(TracerKind, fields);
            },
            "weak_lensing(bins, sigma_e = 0.26): the cosmic-shear tracer of the bins with shape noise σ_e; data only; fields n_gal, noise_cl (σ_e²/n_i per steradian), sigma_e, first, second, pair")
        { Creates = true };

        yield return new Builtin("angular_cl", EmitStyle.Library, "AngularCl", new[] { Object("cosmo"), Object("tracer"), Tensor("ell") }, c =>
            {
                var cosmo = RequireObject(c, c.Arg(0), CosmologyKind);
                var tracer = RequireObject(c, c.Arg(1), TracerKind);
                var ell = c.RequireTensor(c.Arg(2));
                if (cosmo is null || tracer is null || ell is null) return null;
                if (ell.Rank != 1 || ell.Elem.IsComplex)
                {
                    c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(2)!.Range, $"angular_cl: ell must be a real vector, got {ell.Display}");
                    return null;
                }
                if (!RequireData(c, c.Arg(2)!, "ell")) return null;
                var pairs = ((TensorType)tracer.Fields["first"]).Shape[0];
                return new TensorType(ElemType.Real, Shape.Of(pairs, ell.Shape[0]));
            },
            "angular_cl(cosmo, tracer, ell): Limber C_ell of every bin pair i ≤ j (rows (0,0), (0,1), …, (1,1), …) at the multipoles ell (data), real[npairs, nell]; halofit, as jax-cosmo");

        yield return new Builtin("shift_table", EmitStyle.Library, "ShiftTable", new[] { Tensor("grid") }, c =>
            {
                var grid = c.RequireTensor(c.Arg(0));
                if (grid is null) return null;
                if (grid.Rank != 5 || grid.Elem.IsComplex || grid.Shape[4].ProvablyDifferent(Dim.Of(5)))
                {
                    c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(0)!.Range, $"shift_table: the grid must be real[n0, n1, n2, nbins, 5] (each node's Ω_m, σ_8, w_0, bin and shift), got {grid.Display}");
                    return null;
                }
                if (!RequireData(c, c.Arg(0)!, "grid")) return null;
                return new ObjectType(ShiftTableKind, new Dictionary<string, SemType>
                {
                    ["shifts"] = new TensorType(ElemType.Real, grid.Shape.Take(4)),
                });
            },
            "shift_table(grid): a log-normal shift table from a grid real[n0, n1, n2, nbins, 5] (data) holding each node's (Ω_m, σ_8, w_0, bin, shift), as sbi_lens's; field shifts");

        yield return new Builtin("lognormal_shift", EmitStyle.Library, "LognormalShift",
            new[] { Object("cosmo"), Object("table"), new BuiltinParameter("corrected", ArgKind.Static, Optional: true, Default: false) }, c =>
            {
                var cosmo = RequireObject(c, c.Arg(0), CosmologyKind);
                var table = RequireObject(c, c.Arg(1), ShiftTableKind);
                if (cosmo is null || table is null) return null;
                c.Attributes["corrected"] = c.Arg("corrected") is { } k ? c.StaticBool(k, "corrected") ?? false : false;
                return new TensorType(ElemType.Real, Shape.Of(((TensorType)table.Fields["shifts"]).Shape[3]));
            },
            "lognormal_shift(cosmo, table, corrected = false): the log-normal shift λ_i of every bin at the cosmology's (Ω_m, σ_8, w_0), real[nbins]; by default sbi_lens's trilinear lookup (axes Ω_m and σ_8 swapped, coordinates off by half a cell), corrected = true reads each parameter on its own axis");

        yield return new Builtin("lsst_y10_shift_grid", EmitStyle.Library, "LsstY10ShiftGrid", Array.Empty<BuiltinParameter>(),
            _ => new TensorType(ElemType.Real, Shape.Of(8, 8, 8, 5, 5)),
            "lsst_y10_shift_grid(): the LSST Y10 benchmark's shift grid (sbi_lens's lognormal_shifts_LSSTY10_om_s8_w_bin.npy, shipped with ppl), real[8, 8, 8, 5, 5]")
        { Creates = true };
    }

    /// <summary>
    /// The background of a cosmology at redshifts z (a real scalar or array, data or random): each builtin returns z's shape
    /// (the batch axis first when the cosmology or z is batched), computed by Ppl.Runtime.Cosmology's Background and Growth
    /// at a = 1/(1 + z).
    /// </summary>
    private static IEnumerable<Builtin> BackgroundBuiltins()
    {
        (string Name, string Target, string Summary)[] all =
        {
            ("hubble_e", "HubbleE", "hubble_e(cosmo, z): E(z) = H(z)/H0 = sqrt(Ω_m (1+z)³ + Ω_de e^{f(z)}) of a wcdm cosmology at redshifts z, z's shape"),
            ("hubble", "Hubble", "hubble(cosmo, z): H(z) = 100 h E(z) in km/s/Mpc, z's shape"),
            ("comoving_distance", "ComovingDistance", "comoving_distance(cosmo, z): line-of-sight comoving distance χ(z) in Mpc (jax-cosmo's table in Mpc/h divided by h), z's shape"),
            ("angular_diameter_distance", "AngularDiameterDistance", "angular_diameter_distance(cosmo, z): d_A = χ(z)/(1 + z) in Mpc (flat), z's shape"),
            ("luminosity_distance", "LuminosityDistance", "luminosity_distance(cosmo, z): d_L = (1 + z) χ(z) in Mpc (flat), z's shape"),
            ("distance_modulus", "DistanceModulus", "distance_modulus(cosmo, z): μ = 5 log10(d_L / 10 pc) = 5 log10(d_L / Mpc) + 25 in magnitudes, z's shape"),
            ("growth_factor", "GrowthFactor", "growth_factor(cosmo, z): the linear growth factor D(z), normalised to D = 1 at z = 0 (jax-cosmo's ODE), z's shape"),
        };
        foreach (var (name, target, summary) in all)
            yield return new Builtin(name, EmitStyle.Library, target, new[] { Object("cosmo"), Tensor("z") }, c =>
                {
                    var cosmo = RequireObject(c, c.Arg(0), CosmologyKind);
                    var z = c.RequireTensor(c.Arg(1));
                    if (cosmo is null || z is null) return null;
                    if (!(z.Elem.IsReal || z.Elem.IsInt))
                    {
                        c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(1)!.Range, $"{c.Builtin.Name}: z must be a real scalar or array of redshifts, got {z.Display}");
                        return null;
                    }
                    return new TensorType(ElemType.Real, z.Shape);
                }, summary);
    }

    /// <summary>
    /// The bins' type: n_gal [nbins], edges [nbins + 1] and the spectrum layout, first/second [npairs] and pair
    /// [nbins, nbins], npairs = nbins (nbins + 1) / 2 — a number when nbins is one, otherwise a size computed from the
    /// nbins argument when the data are bound.
    /// </summary>
    private static ObjectType Bins(CallTyping c, Dim n, IrExpr? count)
    {
        Dim pairs = n.IsKnown
            ? Dim.Of(n.Constant * (n.Constant + 1) / 2)
            : Dim.Opaque($"{n} * ({n} + 1) / 2", count is null ? null : PairCount(count, c.Range));
        var real = new TensorType(ElemType.Real, Shape.Of(n));
        var index = new TensorType(ElemType.Int, Shape.Of(pairs));
        return new ObjectType(BinsKind, new Dictionary<string, SemType>
        {
            ["n_gal"] = real,
            ["edges"] = new TensorType(ElemType.Real, Shape.Of(Dim.Add(n, Dim.One) ?? Dim.Opaque($"{n} + 1", null))),
            ["first"] = index,
            ["second"] = index,
            ["pair"] = new TensorType(ElemType.Int, Shape.Of(n, n)),
        });
    }

    /// <summary>The expression n (n + 1) / 2 over the data-only int expression n, evaluated as host arithmetic.</summary>
    private static IrExpr PairCount(IrExpr n, SourceRange range)
    {
        var one = new IrLiteral(1L, TensorType.IntScalar, range);
        var two = new IrLiteral(2L, TensorType.IntScalar, range);
        var next = new IrCall(BuiltinCatalog.Get("add"), new[] { n, one }, TensorType.IntScalar, range);
        var product = new IrCall(BuiltinCatalog.Get("mul"), new[] { n, (IrExpr)next }, TensorType.IntScalar, range);
        return new IrCall(BuiltinCatalog.Get("div"), new[] { product, (IrExpr)two }, TensorType.RealScalar, range);
    }

    private static ObjectType? RequireObject(CallTyping c, IrExpr? e, string kind)
    {
        if (e is null) return null;
        if (e.Type is ErrorType) return null;
        if (e.Type is ObjectType o && o.Kind == kind) return o;
        c.Error(DiagnosticCatalogue.TypeMismatch, e.Range, $"{c.Builtin.Name}: '{c.Text(e)}' is {e.Type.Display}, but a {kind} is needed",
            kind switch
            {
                CosmologyKind => "make one with wcdm(omega_c, omega_b, h, n_s, sigma_8, w_0)",
                BinsKind => "make them with smail_bins(...) or lsst_y10_bins()",
                TracerKind => "make one with weak_lensing(bins, sigma_e)",
                _ => "make one with shift_table(grid)",
            });
        return null;
    }

    private static TensorType? RealScalar(CallTyping c, IrExpr e, string name)
    {
        var t = c.RequireTensor(e);
        if (t is null) return null;
        if (!t.IsScalar || t.Elem.IsComplex)
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, e.Range, $"{c.Builtin.Name}: {name} must be a real scalar, got {t.Display}");
            return null;
        }
        return t;
    }

    private static TensorType? DataScalar(CallTyping c, IrExpr e, string name) =>
        RealScalar(c, e, name) is { } t && RequireData(c, e, name) ? t : null;

    /// <summary>Reports an argument that depends on a random variable where only data may go (PPL0209).</summary>
    internal static bool RequireData(CallTyping c, IrExpr e, string name)
    {
        if (!e.Batched) return true;
        c.Error(DiagnosticCatalogue.ArgumentNotDataOnly, e.Range, $"{c.Builtin.Name}: {name} must depend only on data, but '{c.Text(e)}' depends on a random variable",
            "such values are computed once, when the data are bound");
        return false;
    }
}
