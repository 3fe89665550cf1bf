using Ppl.Compiler;
using Ppl.Runtime.Models;

namespace Ppl.Bench.Sbi;

/// <summary>The example models under examples/, compiled and bound with their default data.</summary>
internal static class CompiledModels
{
    public static Model Bind(string name, ModelOptions? options = null, Dictionary<string, DataInput>? data = null)
    {
        var path = Path.Combine(RepositoryRoot(), "examples", name + ".ppl");
        var compilation = Driver.CompileFile(path);
        if (compilation.HasErrors) throw new InvalidOperationException(compilation.RenderDiagnostics());
        var binding = Model.Bind(compilation.Factory!(), data ?? new Dictionary<string, DataInput>(), options);
        if (!binding.Succeeded) throw new InvalidOperationException(string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    /// <summary>The checkout holding Ppl.sln: above the working directory, else above the program (a copied program run
    /// from inside the checkout still finds it).</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"Ppl.sln not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }
}
