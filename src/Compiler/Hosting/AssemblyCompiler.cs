using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Ppl.Analyzers;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Hosting;

/// <summary>Compiles generated C# in memory with Roslyn and loads the resulting model class.</summary>
public static class AssemblyCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new();

    /// <summary>
    /// The compiled assembly's bytes, or the C# compiler's errors (which are bugs of our code generator). The generated code
    /// also passes <see cref="ScalarLifetimeAnalyzer"/>: a TorchSharp Scalar that nothing keeps alive during a native call
    /// would be a use-after-free in the density, so the emitter producing one is a bug like any other compile error.
    /// </summary>
    public static (byte[]? Image, IReadOnlyList<string> Errors) Compile(string source, string assemblyName)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: assemblyName + ".g.cs");
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false, deterministic: true,
            // int arithmetic on data (sizes, `N * N`, `2 ^ k`) must fail rather than wrap; the binder reports it located.
            checkOverflow: true);
        var compilation = CSharpCompilation.Create(assemblyName, new[] { tree }, References.Value, options);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.ToString()).ToList();
            return (null, errors);
        }
        var lifetimeErrors = ScalarLifetimeErrors(compilation);
        if (lifetimeErrors.Count > 0)
            return (null, lifetimeErrors);
        return (stream.ToArray(), Array.Empty<string>());
    }

    /// <summary>Errors of <see cref="ScalarLifetimeAnalyzer"/> on <paramref name="compilation"/>, rendered as the compiler's are.</summary>
    public static IReadOnlyList<string> ScalarLifetimeErrors(Microsoft.CodeAnalysis.Compilation compilation)
    {
        var analyzers = System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new ScalarLifetimeAnalyzer());
        var diagnostics = compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    /// <summary>Loads (once per process and key) a compiled model assembly and returns a factory of model instances.</summary>
    public static Func<IGeneratedModel> Load(string key, byte[] image, string className)
    {
        var assembly = Loaded.GetOrAdd(key, _ => Assembly.Load(image));
        var type = assembly.GetType(className) ?? throw new InvalidOperationException($"generated assembly has no type {className}");
        return () => (IGeneratedModel)Activator.CreateInstance(type)!;
    }

    private static MetadataReference[] LoadReferences()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var p in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Path.GetFileNameWithoutExtension(p);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "TorchSharp" or "Ppl.Runtime")
                paths.Add(p);
        }
        paths.Add(typeof(TorchSharp.torch).Assembly.Location);
        paths.Add(typeof(IGeneratedModel).Assembly.Location);
        return paths.Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
