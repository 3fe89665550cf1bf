/// Locates the golden files and compares outputs with their baselines, in the style of the F#
/// compiler's tests: on a mismatch the output is written next to the baseline as `.actual`; with
/// TEST_UPDATE_BSL=1 the baseline is rewritten instead.
module Ppl.Dsl.Tests.Golden

open System
open System.IO

/// The golden folder in the source tree (so that TEST_UPDATE_BSL=1 rewrites the checked-in files),
/// or the copy next to the test assembly when the source tree is not around it.
let folder =
    let rec findRoot (dir: DirectoryInfo | null) =
        match dir with
        | null -> None
        | d when File.Exists(Path.Combine(d.FullName, "Ppl.sln")) -> Some d.FullName
        | d -> findRoot d.Parent

    let inSource =
        findRoot (DirectoryInfo AppContext.BaseDirectory)
        |> Option.map (fun root -> Path.Combine(root, "tests", "Ppl.Dsl.Tests", "golden"))
        |> Option.filter Directory.Exists

    match inSource with
    | Some dir -> dir
    | None ->
        let copy = Path.Combine(AppContext.BaseDirectory, "golden")

        if Directory.Exists copy then copy
        else raise (DirectoryNotFoundException("golden files not found beside the sources or at " + copy))

/// The names ("good/TwoMoons") of the `.ppl` files in a subfolder, sorted.
let cases (subfolder: string) : obj[] seq =
    Directory.GetFiles(Path.Combine(folder, subfolder), "*.ppl")
    |> Array.map (fun p -> subfolder + "/" + nonNull (Path.GetFileNameWithoutExtension p))
    |> Array.sort
    |> Seq.map (fun name -> [| name :> obj |])

let pathOf (name: string) (extension: string) =
    Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar) + extension)

/// Text with Windows line ends normalised, so baselines compare equal on every checkout.
let readText (path: string) = File.ReadAllText(path).Replace("\r\n", "\n")

let private firstDifference (expected: string) (actual: string) =
    let e = expected.Split('\n')
    let a = actual.Split('\n')
    let n = max e.Length a.Length
    let line i (lines: string[]) = if i < lines.Length then lines[i] else "<end of file>"

    seq { 0 .. n - 1 }
    |> Seq.tryFind (fun i -> line i e <> line i a)
    |> Option.map (fun i -> sprintf "first difference at line %d:\n  expected: %s\n  actual:   %s" (i + 1) (line i e) (line i a))
    |> Option.defaultValue "the texts differ only in line ends"

/// Compares `actual` with the baseline `name.expected`; see the module comment.
let checkBaseline (name: string) (actual: string) =
    let expectedPath = pathOf name ".expected"
    let actualPath = pathOf name ".actual"
    let expected = if File.Exists expectedPath then Some(readText expectedPath) else None

    if expected = Some actual then
        if File.Exists actualPath then File.Delete actualPath
    elif Environment.GetEnvironmentVariable "TEST_UPDATE_BSL" = "1" then
        File.WriteAllText(expectedPath, actual)
        if File.Exists actualPath then File.Delete actualPath
    else
        File.WriteAllText(actualPath, actual)

        let detail =
            match expected with
            | Some e -> firstDifference e actual
            | None -> "the baseline does not exist yet"

        failwithf
            "Baseline mismatch for %s: %s\nThe output was written to %s\n  compare: diff %s %s\n  accept:  rerun with TEST_UPDATE_BSL=1"
            name
            detail
            actualPath
            expectedPath
            actualPath
