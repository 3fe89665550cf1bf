using Ppl.Runtime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// How the log density sums out the discrete latents the compiler marked for enumeration (<c>EnumerationSize</c> K > 0):
/// the joint configurations of their elements (C = Π K^elements, mixed radix in declaration and row-major element order)
/// are folded into the batch. A density evaluation at B points runs the model once at C·B rows: row c·B + b holds
/// point b (the unconstrained vector repeated C times) with the latents at configuration c. The [C·B] joint log
/// densities are then reduced to [B] by log-sum-exp over c: log p(θ, x) = log Σ_z p(θ, z, x). Nothing is sampled, so
/// the result is exact and differentiable in θ; the other latents are read from the vector as usual.
/// </summary>
internal sealed class EnumerationPlan
{
    private readonly Dictionary<int, Tensor> _values = new();

    public EnumerationPlan(IReadOnlyList<SiteLayout> sites, Device device)
    {
        long configurations = 1;
        var enumerated = sites.Where(s => s.IsEnumerated).ToList();
        foreach (var site in enumerated)
            configurations = checked(configurations * checked((long)Math.Pow(site.Description.EnumerationSize, site.Size)));
        Configurations = configurations;
        if (configurations == 1) return;
        // Digits: configuration c = Σ digit_j · stride_j over every enumerated element j, the first element varying slowest.
        long stride = configurations;
        using var scope = NewDisposeScope();
        var index = ones(configurations, ScalarType.Int64).cumsum(0).sub(ConstantScalars.Of(1L));
        foreach (var site in enumerated)
        {
            long k = site.Description.EnumerationSize;
            var columns = new List<Tensor>();
            for (int e = 0; e < site.Size; e++)
            {
                stride /= k;
                using var strideScalar = stride.ToScalar();
                using var kScalar = k.ToScalar();
                columns.Add(index.div(strideScalar, rounding_mode: RoundingMode.floor).remainder(kScalar));
            }
            var table = (columns.Count == 0 ? zeros(configurations, 0, ScalarType.Int64) : stack(columns, 1))
                .reshape([configurations, .. site.Shape]).to(device);
            _values[site.Index] = table.MoveToOuterDisposeScope();
        }
    }

    /// <summary>C, the number of joint configurations (1 when nothing is enumerated).</summary>
    public long Configurations { get; }

    /// <summary>The unconstrained points [B, D] repeated for every configuration: [C·B, D].</summary>
    public Tensor Repeat(Tensor unconstrained) => Configurations == 1 ? unconstrained : unconstrained.repeat(Configurations, 1);

    /// <summary>The values of an enumerated latent for a context of <paramref name="rows"/> = C·B rows: [C·B, ...shape] int64.</summary>
    public Tensor Values(int site, long rows)
    {
        var table = _values[site];
        return table.repeat_interleave(rows / Configurations, 0);
    }

    /// <summary>
    /// The posterior probabilities of each enumerated latent's values given everything else at each of the B points,
    /// from the C·B joint log densities: the configurations' weights are softmax_c(total[c·B + b]) (the terms that do
    /// not depend on c cancel), and P(z_e = k) at point b sums the weights of the configurations whose element e is k.
    /// Returns, per site index, [B, ...shape, K].
    /// </summary>
    public Dictionary<int, Tensor> Probabilities(Tensor total, long batch, IReadOnlyList<SiteLayout> sites)
    {
        var result = new Dictionary<int, Tensor>();
        if (Configurations == 1) return result;
        var weights = total.reshape(Configurations, batch).softmax(0);
        foreach (var site in sites.Where(s => s.IsEnumerated))
        {
            long k = site.Description.EnumerationSize;
            var oneHot = nn.functional.one_hot(_values[site.Index].reshape(Configurations, site.Size), k).to(weights.dtype);
            var probabilities = einsum("cb,cek->bek", weights, oneHot);
            result[site.Index] = probabilities.reshape([batch, .. site.Shape, k]);
        }
        return result;
    }

    /// <summary>log Σ_c exp(total[c·B + b]) over the configurations: [C·B] → [B].</summary>
    public Tensor SumOut(Tensor total, long batch) =>
        Configurations == 1 ? total : total.reshape(Configurations, batch).logsumexp(0);
}
