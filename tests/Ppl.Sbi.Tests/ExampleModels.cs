using System.Collections.Concurrent;
using Ppl.Compiler;
using Ppl.Runtime.Models;

namespace Ppl.Sbi.Tests;

/// <summary>Compiles the example models once per test run and binds them with their default data.</summary>
internal static class ExampleModels
{
    private static readonly ConcurrentDictionary<string, Compilation> Compiled = new();

    public static Compilation Compile(string name) => Compiled.GetOrAdd(name, n =>
    {
        var c = Driver.CompileFile(CliInvocation.Example(n));
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        return c;
    });

    public static Model Bind(string name, ModelOptions? options = null)
    {
        var binding = Model.Bind(Compile(name).Factory!(), new Dictionary<string, DataInput>(), options);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }
}
