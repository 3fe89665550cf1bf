using Ppl.Runtime.Abstractions;

namespace Ppl.Runtime.Models;

/// <summary>A site with its concrete event shape and, for params and latents, its contiguous slice
/// [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Size"/>) of the unconstrained vector.</summary>
public sealed record SiteLayout(int Index, SiteDescription Description, long[] Shape, int Offset, int Size)
{
    public string Name => Description.Name;

    public SiteRole Role => Description.Role;

    /// <summary>Params and latents, except a discrete latent the log density sums out by enumeration.</summary>
    public bool InUnconstrainedVector => Role != SiteRole.Observed && !IsEnumerated;

    /// <summary>A discrete latent summed out by enumeration (see <see cref="EnumerationPlan"/>).</summary>
    public bool IsEnumerated => Description.EnumerationSize > 0;

    public string ShapeText => Shape.Length == 0 ? "scalar" : "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A recorded `let` with its concrete event shape.</summary>
public sealed record LetLayout(int Index, LetDescription Description, long[] Shape)
{
    public string Name => Description.Name;
}
