namespace Ppl.Compiler.Semantics;

/// <summary>The differentiable cosmology library (filled in with the cosmology runtime).</summary>
internal static class CosmologyBuiltins
{
    public static IEnumerable<Builtin> All() => Array.Empty<Builtin>();
}
