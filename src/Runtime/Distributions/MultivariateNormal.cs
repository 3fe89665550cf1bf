using Ppl.Runtime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The multivariate normal N(loc, L Lᵀ) over vectors of length D, parameterised by the lower Cholesky factor L
/// (positive diagonal). Event rank 1: values are [..., D], loc [..., D], the factor [..., D, D].
/// </summary>
public sealed class MultivariateNormal : Distribution, IDistributionMoments
{
    /// <param name="loc">Mean, [..., D].</param>
    /// <param name="scaleTril">Lower-triangular factor of the covariance with positive diagonal, [..., D, D]; the part
    /// above the diagonal is not read.</param>
    public MultivariateNormal(Tensor loc, Tensor scaleTril)
    {
        if (loc.dim() < 1) throw new ArgumentException("The mean of a multivariate normal is at least a vector.", nameof(loc));
        if (scaleTril.dim() < 2 || scaleTril.shape[^1] != scaleTril.shape[^2] || scaleTril.shape[^1] != loc.shape[^1])
            throw new ArgumentException("The scale factor must be [..., D, D] with D the length of the mean.", nameof(scaleTril));
        Loc = loc;
        ScaleTril = scaleTril;
    }

    /// <summary>A multivariate normal from a covariance matrix, factorised by Cholesky (which throws for a matrix that
    /// is not positive definite).</summary>
    /// <param name="loc">Mean, [..., D].</param>
    /// <param name="covariance">Symmetric positive-definite covariance, [..., D, D].</param>
    public static MultivariateNormal FromCovariance(Tensor loc, Tensor covariance) =>
        new(loc, linalg.cholesky(covariance));

    /// <summary>Mean, [..., D].</summary>
    public Tensor Loc { get; }

    /// <summary>Lower Cholesky factor of the covariance, [..., D, D].</summary>
    public Tensor ScaleTril { get; }

    /// <summary>Length D of one draw.</summary>
    public long Dimension => Loc.shape[^1];

    /// <inheritdoc/>
    public override int EventRank => 1;

    /// <inheritdoc/>
    public override Support Support => Support.Real;

    /// <summary>−½‖L⁻¹(x − loc)‖² − Σ log Lᵢᵢ − (D/2) log 2π, with L⁻¹ applied by a triangular solve.</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var difference = value.sub(Loc);
        // Triangular solves and products do not promote types (libtorch aborts the process on a mismatch).
        var dtype = promote_types(difference.dtype, ScaleTril.dtype);
        difference = difference.to_type(dtype);
        var factor = ScaleTril.tril().to_type(dtype);
        var batch = broadcast_shapes(difference.shape[..^1], factor.shape[..^2]);
        long d = Dimension;
        var expandedFactor = factor.expand([.. batch, d, d]);
        var expandedDifference = difference.expand([.. batch, d]).unsqueeze(-1);
        var whitened = linalg.solve_triangular(expandedFactor, expandedDifference, upper: false).squeeze(-1);
        var halfLogDet = factor.diagonal(0, -2, -1).log().sum(-1);
        using var keptScalar22 = (d * StandardNormalMath.LogSqrtTwoPi).ToScalar();
        var result = TensorArithmetic.Square(whitened).sum(-1).mul(ConstantScalars.Of(-0.5)).sub(halfLogDet).sub(keptScalar22);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>loc + L ε with ε from Box–Muller over the whole [B, D] shape (two slots).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var epsilon = stream.StandardNormal().unsqueeze(-1);
        var dtype = promote_types(epsilon.dtype, ScaleTril.dtype);
        var correlated = ScaleTril.tril().to_type(dtype).matmul(epsilon.to_type(dtype)).squeeze(-1);
        return Loc.add(correlated, TensorArithmetic.One).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Loc.add(zeros_like(ScaleTril.select(-1, 0)), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }

    /// <summary>The diagonal of L Lᵀ: row sums of L².</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return TensorArithmetic.Square(ScaleTril.tril()).sum(-1).add(zeros_like(Loc), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }
}
