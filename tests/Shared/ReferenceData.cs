namespace Ppl.Tests.Shared;

/// <summary>Locates `../shared/reference` beside the checkout. A missing folder fails the test; it never skips it.</summary>
public static class ReferenceData
{
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PPL_REFERENCE_DIR");
            if (!string.IsNullOrEmpty(env))
            {
                if (!Directory.Exists(env)) throw new DirectoryNotFoundException($"PPL_REFERENCE_DIR={env} does not exist.");
                return env;
            }
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Ppl.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
                    if (Directory.Exists(candidate)) return candidate;
                    throw new DirectoryNotFoundException($"Reference data not found at {candidate} (expected ../shared/reference beside the checkout).");
                }
                dir = dir.Parent;
            }
            throw new DirectoryNotFoundException("Could not find the repository root (Ppl.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The repository root (the folder holding Ppl.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("Could not find Ppl.sln above " + AppContext.BaseDirectory);
        }
    }

    public static string PathOf(params string[] parts)
    {
        var path = Path.Combine(new[] { Root }.Concat(parts).ToArray());
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException("Reference file missing: " + path, path);
        return path;
    }
}
