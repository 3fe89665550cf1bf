/// Entry points of the front end: a whole model, or one expression (for command-line values).
/// Neither throws: every problem in the input comes back as a diagnostic.
module Ppl.Dsl.Parser

open System
open FParsec
open Ppl.Dsl.Lexing
open Ppl.Dsl.Recovery
open Ppl.Diagnostics

let private initialState (source: SourceText) =
    { Source = source
      LastTokenEnd = -1
      OpenBrackets = []
      Nesting = NestingCounter()
      Diagnostics = [] }

/// Sorts diagnostics by position (stably) and drops those an unclosed block comment caused: once a
/// comment swallows the rest of the file, "expected ..., found end of input" only repeats it.
let private finishDiagnostics (diagnostics: Diagnostic list) =
    let all = diagnostics |> List.rev |> List.distinct

    let swallowedFrom =
        all
        |> List.filter (fun d -> d.Code = DiagnosticCatalogue.UnclosedComment.Code)
        |> List.map (fun d -> d.Range.Start)
        |> List.sort
        |> List.tryHead

    let kept =
        match swallowedFrom with
        | None -> all
        | Some start ->
            all
            |> List.filter (fun d ->
                d.Code = DiagnosticCatalogue.UnclosedComment.Code || compare d.Range.Start start < 0)

    kept |> List.sortBy (fun d -> d.Range.Start.Line, d.Range.Start.Column)

let private internalError (file: string) (e: exn) =
    Diagnostic.error
        DiagnosticCatalogue.ParserInternalError
        (SourceRange.synthetic file)
        (sprintf "internal error in the parser: %s" e.Message)
    |> Diagnostic.withHint "this is a bug in ppl; please report it with the model that caused it"

/// Declarations until the end of the text, recovering after each error.
let private declarations (stream: CharStream<ParseState>) =
    let decls = ResizeArray<Decl>()

    while not stream.IsEndOfStream do
        let saved = stream.UserState
        let start = indexOf stream

        if declarationKeywords.Contains(peekWord stream) then
            let r = ParseDecl.declaration stream
            if r.Status = Ok then
                decls.Add r.Result
            else
                recover TopLevel saved (start + 1) r.Error stream |> ignore
        else
            let d = SyntaxErrors.expectedDeclaration saved start
            skipAfter TopLevel saved (start + 1) d stream |> ignore

    List.ofSeq decls

/// Reads `model Name`; reports PPL0002 when the header is missing.
let private header (stream: CharStream<ParseState>) : Ident option =
    let s = stream.UserState
    let start = indexOf stream

    if peekWord stream = "model" then
        consumeToken stream 5
        let n = name "a model" stream

        if n.Status = Ok then
            Some n.Result
        else
            recover TopLevel s (start + 1) n.Error stream |> ignore
            None
    else
        let text = s.Source.Text
        let struct (found, stop) = describeTokenAt text start

        let d =
            Diagnostic.error
                DiagnosticCatalogue.MissingModelHeader
                (s.Source.Range(start, stop))
                (sprintf "expected 'model Name' at the start of the file, found %s" found)
            |> Diagnostic.withHint "a model file starts with its name, as in 'model EightSchools'"

        // Declarations that follow are still parsed, so that their errors are reported too.
        if declarationKeywords.Contains(peekWord stream) then
            addDiagnostic stream d
        else
            skipAfter TopLevel s (start + 1) d stream |> ignore

        None

/// Parses a whole model file. Returns the model whenever its `model Name` header could be read —
/// possibly with `ErrorExpr` placeholders and with malformed declarations left out — together
/// with every syntax diagnostic found, sorted by position. Never throws.
let parseModel (file: string) (text: string) : Model option * Diagnostic list =
    let text = if String.IsNullOrEmpty text then "" else text

    try
        let source = SourceText(file, text)
        use stream = new CharStream<ParseState>(text, 0, text.Length)
        stream.UserState <- initialState source
        leadingTrivia stream |> ignore
        let start = indexOf stream
        let modelName = header stream
        let decls = declarations stream
        let diagnostics = finishDiagnostics stream.UserState.Diagnostics

        let model =
            modelName
            |> Option.map (fun n ->
                let stop =
                    match List.tryLast decls with
                    | Some d -> (Syntax.declRange d).End
                    | None -> n.Range.End

                { Name = n
                  Decls = decls
                  Range = { source.Range(start, start) with End = stop } })

        model, diagnostics
    with e ->
        None, [ internalError file e ]

/// Parses one expression that must fill the whole text (as in `--set theta=[0.1, 0.2]`).
/// Returns the expression when one was read (soft errors leave `ErrorExpr` placeholders inside it,
/// and are reported), or None with the diagnostics. Never throws.
let parseExpression (file: string) (text: string) : Expr option * Diagnostic list =
    let text = if String.IsNullOrEmpty text then "" else text

    try
        let source = SourceText(file, text)
        use stream = new CharStream<ParseState>(text, 0, text.Length)
        stream.UserState <- initialState source
        leadingTrivia stream |> ignore
        let r = ParseExpr.expr stream

        if r.Status <> Ok then
            let d = SyntaxErrors.ofParserError stream.UserState (indexOf stream) r.Error
            None, finishDiagnostics (d :: stream.UserState.Diagnostics)
        elif not stream.IsEndOfStream then
            let d =
                SyntaxErrors.ofParserError stream.UserState (indexOf stream) (expected "the end of the expression")

            None, finishDiagnostics (d :: stream.UserState.Diagnostics)
        else
            Some r.Result, finishDiagnostics stream.UserState.Diagnostics
    with e ->
        None, [ internalError file e ]
