module Ppl.Dsl.Tests.RobustnessTests

open System
open System.Text
open System.Threading
open Xunit
open Ppl.Dsl

/// The parser's promises on any input: no exception, no internal error, diagnostics in order and
/// pointing inside the text.
let private checkInvariants (text: string) =
    let model, diagnostics = Parser.parseModel "fuzz.ppl" text
    let lineCount = text.Split('\n').Length

    for d in diagnostics do
        if d.Code.StartsWith "PPL09" then failwithf "internal error on input %A: %s" text d.Message
        if d.Range.Start.Line < 1 || d.Range.End.Line > lineCount then failwithf "range %O outside the text %A" d.Range text
        if compare d.Range.Start d.Range.End > 0 then failwithf "inverted range %O on input %A" d.Range text

    let positions = diagnostics |> List.map (fun d -> d.Range.Start)
    if List.sort positions <> positions then failwithf "diagnostics out of order on input %A" text

    // Whatever was read prints without throwing.
    model |> Option.iter (SyntaxPrinter.printModel >> ignore)

[<Fact>]
let ``random characters never make the parser throw`` () =
    let rng = Random(7)
    let alphabet = "model data param let fun latent observe ( ) [ ] { } , : ~ = == < > + - * / ^ . ... _ 1 2.5 e x\n\t/*//\"$θ\u0000\uFFFF"

    for _ in 1..1500 do
        let length = rng.Next 120
        let sb = StringBuilder()

        for _ in 1..length do
            if rng.Next 10 = 0 then sb.Append(char (rng.Next 0xD800)) |> ignore
            else sb.Append(alphabet[rng.Next alphabet.Length]) |> ignore

        checkInvariants (sb.ToString())

[<Fact>]
let ``random token sequences never make the parser throw`` () =
    let rng = Random(11)

    let tokens =
        [| "model"; "M"; "\n"; "data"; "param"; "latent"; "observe"; "let"; "fun"; "return"; "x"; "y"; "f"; "real"
           "int"; "["; "]"; "("; ")"; "{"; "}"; ","; ":"; "~"; "="; "->"; "+"; "-"; "*"; "**"; "^"; "<"; "&&"; "!"
           "if"; "then"; "else"; "for"; "in"; "..."; "_"; "."; "1"; "2.5"; "1e-3"; "/*"; "*/"; "//" |]

    for _ in 1..1500 do
        let count = rng.Next 60
        let parts = Array.init count (fun _ -> tokens[rng.Next tokens.Length])
        checkInvariants ("model M\n" + String.Join(" ", parts))

[<Fact>]
let ``truncations of the good examples parse without throwing`` () =
    for name in Golden.cases "good" |> Seq.map (fun row -> row[0] :?> string) do
        let text = Golden.readText (Golden.pathOf name ".ppl")
        // Every third length, plus both sides of every line end, where declarations are cut whole.
        let lineEnds = text |> Seq.indexed |> Seq.filter (fun (_, c) -> c = '\n') |> Seq.collect (fun (i, _) -> [ i; i + 1 ])
        let lengths = Seq.append (seq { 0..3 .. text.Length }) lineEnds |> Seq.distinct

        for length in lengths do
            checkInvariants (text.Substring(0, length))

[<Fact>]
let ``random byte strings never make the parser throw`` () =
    let rng = Random(3)

    for _ in 1..500 do
        let bytes = Array.zeroCreate<byte> (rng.Next 200)
        rng.NextBytes bytes
        checkInvariants (Encoding.UTF8.GetString bytes)
        checkInvariants (Encoding.Latin1.GetString bytes)

/// Runs `f` on a thread with a 512 KiB stack: half the 1 MiB a thread is likely to have at least,
/// so passing here leaves a factor of two in hand.
let private onSmallStack (f: unit -> unit) =
    let mutable failure: exn option = None

    let thread =
        Thread((fun () ->
            try
                f ()
            with e ->
                failure <- Some e), 512 * 1024)

    thread.Start()
    thread.Join()
    failure |> Option.iter raise

/// Each way of nesting expressions, `depth` levels deep.
let private nestings (depth: int) =
    [ String('(', depth) + "1" + String(')', depth)
      String('[', depth) + "1" + String(']', depth)
      String.replicate depth "f(" + "1" + String(')', depth)
      String.replicate depth "x[" + "1" + String(']', depth)
      String('-', depth) + "1"
      String.replicate depth "2 ^ " + "2"
      String.replicate depth "if a then " + "1" + String.replicate depth " else 2" ]

[<Fact>]
let ``deeply nested input is refused with a diagnostic instead of overflowing the stack`` () =
    onSmallStack (fun () ->
        for body in nestings 100_000 do
            let _, diagnostics = Parser.parseModel "deep.ppl" ("model M\nlet x = " + body + "\n")
            Assert.Contains("PPL0010", diagnostics |> List.map (fun d -> d.Code)))

[<Fact>]
let ``nesting just under the limit parses on a small stack`` () =
    onSmallStack (fun () ->
        for body in nestings 63 do
            let _, diagnostics = Parser.parseModel "deep.ppl" ("model M\nlet x = " + body + "\n")
            Assert.Empty diagnostics)
