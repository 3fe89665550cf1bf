using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// A batch of B flat wCDM cosmologies (Ω_k = 0, no radiation, as in jax-cosmo). Every parameter is a [B] tensor,
/// all of one floating type and on one device; every function of the cosmology library returns tensors of that
/// type, on that device, with B first, and is differentiable in these tensors.
/// The object does not own the tensors: they usually belong to the caller's dispose scope.
/// </summary>
public sealed class CosmologyParameters
{
    /// <summary>Builds a batch from [B] tensors of one floating type and device; <paramref name="wA"/> defaults to zeros.</summary>
    public CosmologyParameters(Tensor omegaC, Tensor omegaB, Tensor h, Tensor nS, Tensor sigma8, Tensor w0, Tensor? wA = null)
    {
        if (omegaC.dim() != 1) throw new ArgumentException("Cosmological parameters are [B] tensors.", nameof(omegaC));
        BatchSize = omegaC.shape[0];
        DType = omegaC.dtype;
        Device = omegaC.device;
        if (DType != ScalarType.Float32 && DType != ScalarType.Float64)
            throw new ArgumentException($"Cosmological parameters must be float32 or float64, not {DType}.", nameof(omegaC));
        wA ??= zeros(BatchSize, dtype: DType, device: Device);
        foreach (var (name, p) in new[] { ("omegaB", omegaB), ("h", h), ("nS", nS), ("sigma8", sigma8), ("w0", w0), ("wA", wA) })
        {
            if (p.dim() != 1 || p.shape[0] != BatchSize)
                throw new ArgumentException($"Parameter {name} has shape [{string.Join(", ", p.shape)}]; expected [{BatchSize}].", name);
            if (p.dtype != DType || p.device.type != Device.type || p.device.index != Device.index)
                throw new ArgumentException($"Parameter {name} is {p.dtype} on {p.device}; expected {DType} on {Device}.", name);
        }
        OmegaC = omegaC;
        OmegaB = omegaB;
        H = h;
        NS = nS;
        Sigma8 = sigma8;
        W0 = w0;
        WA = wA;
    }

    /// <summary>
    /// jax-cosmo's <c>Planck15(...)</c>: the given parameters, and Planck 2015 values for those left out (w_a = 0).
    /// B is the length of the given tensors, or <paramref name="batchSize"/> when none is given.
    /// </summary>
    public static CosmologyParameters Planck15(
        Tensor? omegaC = null, Tensor? omegaB = null, Tensor? h = null, Tensor? nS = null, Tensor? sigma8 = null,
        Tensor? w0 = null, Tensor? wA = null, long batchSize = 1, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var given = new[] { omegaC, omegaB, h, nS, sigma8, w0, wA }.FirstOrDefault(t => t is not null);
        long b = given?.shape[0] ?? batchSize;
        var type = given?.dtype ?? dtype;
        var dev = given?.device ?? device ?? CPU;
        var p = CosmologyValues.Planck15;
        Tensor Fill(Tensor? t, double v)
        {
            if (t is not null)
                return t;
            using var value = v.ToScalar();
            return full(b, value, dtype: type, device: dev);
        }
        return new CosmologyParameters(Fill(omegaC, p.OmegaC), Fill(omegaB, p.OmegaB), Fill(h, p.H), Fill(nS, p.NS),
            Fill(sigma8, p.Sigma8), Fill(w0, p.W0), Fill(wA, p.WA));
    }

    /// <summary>A batch holding the given cosmologies, in order.</summary>
    public static CosmologyParameters FromValues(IReadOnlyList<CosmologyValues> values, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (values.Count == 0) throw new ArgumentException("At least one cosmology is needed.", nameof(values));
        var dev = device ?? CPU;
        Tensor Column(Func<CosmologyValues, double> f) => tensor(values.Select(f).ToArray(), dtype: dtype, device: dev);
        return new CosmologyParameters(Column(v => v.OmegaC), Column(v => v.OmegaB), Column(v => v.H), Column(v => v.NS),
            Column(v => v.Sigma8), Column(v => v.W0), Column(v => v.WA));
    }

    /// <summary>Cold dark matter density fraction Ω_c, [B].</summary>
    public Tensor OmegaC { get; }

    /// <summary>Baryon density fraction Ω_b, [B].</summary>
    public Tensor OmegaB { get; }

    /// <summary>Dimensionless Hubble constant h, [B].</summary>
    public Tensor H { get; }

    /// <summary>Primordial spectral index n_s, [B].</summary>
    public Tensor NS { get; }

    /// <summary>σ_8, [B].</summary>
    public Tensor Sigma8 { get; }

    /// <summary>Dark energy equation of state today, [B].</summary>
    public Tensor W0 { get; }

    /// <summary>Linear evolution of the dark energy equation of state, [B].</summary>
    public Tensor WA { get; }

    /// <summary>Number of cosmologies B.</summary>
    public long BatchSize { get; }

    /// <summary>Floating type of every parameter and result.</summary>
    public ScalarType DType { get; }

    /// <summary>Device of every parameter and result.</summary>
    public Device Device { get; }

    /// <summary>Total matter density Ω_m = Ω_c + Ω_b, [B] (a new tensor in the caller's scope).</summary>
    public Tensor OmegaM => TensorArithmetic.Add(OmegaC, OmegaB);

    /// <summary>Dark energy density Ω_de = 1 − Ω_m (flat, no radiation), [B].</summary>
    public Tensor OmegaDe => TensorArithmetic.Sub(1.0, OmegaM);

    /// <summary>A [B] parameter viewed as [B, 1, …, 1] with <paramref name="rank"/> dimensions, to broadcast against [B, …] grids.</summary>
    internal Tensor Column(Tensor parameter, long rank)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[0] = BatchSize;
        return parameter.reshape(shape);
    }

    /// <summary>
    /// A data argument (scale factors, wave numbers) moved to this batch's type and device and given a leading batch axis:
    /// a 1-D tensor [n] is shared by all cosmologies and becomes [1, n]; a 2-D tensor must be [B, n], one row per cosmology.
    /// </summary>
    internal Tensor Batched(Tensor x, string name)
    {
        var y = x.to(DType, Device);
        if (y.dim() == 1) return y.unsqueeze(0);
        if (y.dim() == 2 && y.shape[0] == BatchSize) return y;
        throw new ArgumentException($"{name} must be [n] (shared) or [{BatchSize}, n] (one row per cosmology); it is [{string.Join(", ", x.shape)}].", name);
    }
}
