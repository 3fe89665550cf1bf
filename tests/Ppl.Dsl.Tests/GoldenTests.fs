module Ppl.Dsl.Tests.GoldenTests

open Xunit
open Ppl.Dsl

let goodCases () = Golden.cases "good"
let badCases () = Golden.cases "bad"

let private renderAll (text: string) (diagnostics: Diagnostic list) =
    diagnostics |> List.map (Diagnostic.render (Some text)) |> String.concat ""

[<Theory; MemberData(nameof goodCases)>]
let ``good model parses cleanly, matches its canonical print and round-trips`` (name: string) =
    let text = Golden.readText (Golden.pathOf name ".ppl")
    let file = name + ".ppl"
    let parsed, diagnostics = Parser.parseModel file text

    if not diagnostics.IsEmpty then
        failwithf "unexpected diagnostics:\n%s" (renderAll text diagnostics)

    let model = Option.get parsed
    let printed = SyntaxPrinter.printModel model
    Golden.checkBaseline name printed

    // parse (print (parse s)) = parse s, ranges aside; print (parse (print m)) = print m.
    let reparsed, again = Parser.parseModel "printed.ppl" printed

    if not again.IsEmpty then
        failwithf "the printed model does not parse:\n%s" (renderAll printed again)

    let reparsed = Option.get reparsed
    Assert.Equal(StripRanges.model model, StripRanges.model reparsed)
    Assert.Equal(printed, SyntaxPrinter.printModel reparsed)

[<Theory; MemberData(nameof badCases)>]
let ``bad model reports its diagnostics, sorted, including the code in its name`` (name: string) =
    let text = Golden.readText (Golden.pathOf name ".ppl")
    let _, diagnostics = Parser.parseModel (name + ".ppl") text
    Assert.NotEmpty diagnostics

    let code = name.Substring(name.LastIndexOf('/') + 1).Split('_')[0]
    Assert.Contains(code, diagnostics |> List.map (fun d -> d.Code))

    let positions = diagnostics |> List.map (fun d -> d.Range.Start)
    Assert.Equal<SourcePosition list>(List.sort positions, positions)

    Golden.checkBaseline name (renderAll text diagnostics)

[<Fact>]
let ``one file with several mistakes reports each of them and keeps the sound declarations`` () =
    let name = "bad/PPL0001_several_errors_recovered"
    let text = Golden.readText (Golden.pathOf name ".ppl")
    let model, diagnostics = Parser.parseModel (name + ".ppl") text
    // Six mistakes, on lines 5, 6, 8, 10, 12 and 15; the two incomplete expressions (lines 10
    // and 12) are detected at the token that follows them, on lines 11 and 13.
    Assert.Equal<int list>([ 5; 6; 8; 11; 13; 15 ], diagnostics |> List.map (fun d -> d.Range.Start.Line))
    let model = Option.get model
    // Every declaration whose header could be read is kept, malformed values replaced by ErrorExpr.
    let names = model.Decls |> List.map (fun d -> (Syntax.declName d).Name)
    Assert.Equal<string list>([ "N"; "sigma"; "mu"; "tau"; "eta"; "theta"; "f"; "y"; "bad" ], names)
