namespace Ppl.Tests.Shared;

/// <summary>Locates the reference data the tests read: `tests/data` inside the repository (see its PROVENANCE.md), so a
/// clone alone passes the tests. A missing file fails the test with its path; it never skips it.</summary>
public static class ReferenceData
{
    /// <summary>`tests/data` under the repository root.</summary>
    public static string Root => Path.Combine(RepositoryRoot, "tests", "data");

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

    /// <summary>The LSST Y10 shift grid shipped with the runtime (`src/Runtime/Cosmology/Data`), the same file sbi_lens
    /// publishes; tests read that copy rather than keep a second one.</summary>
    public static string ShiftTable => Existing(Path.Combine(RepositoryRoot, "src", "Runtime", "Cosmology", "Data",
        "lognormal_shifts_LSSTY10_om_s8_w_bin.npy"));

    /// <summary>A file under `tests/data`; a missing one throws naming its path and the provenance list.</summary>
    public static string PathOf(params string[] parts) => Existing(Path.Combine(new[] { Root }.Concat(parts).ToArray()));

    private static string Existing(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Reference file missing: {path} (tests/data/PROVENANCE.md lists every reference file and where it comes from)", path);
        return path;
    }
}
