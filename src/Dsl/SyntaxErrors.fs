/// Turns FParsec's error lists into our diagnostics: "expected an expression, found ')'" (PPL0001),
/// an unclosed bracket (PPL0006), an invalid character (PPL0007), a missing declaration keyword
/// (PPL0008). The codes are documented in docs/language-diagnostics-syntax.md.
module internal Ppl.Dsl.SyntaxErrors

open System
open FParsec
open Ppl.Dsl.Lexing
open Ppl.Diagnostics

/// Advice carried through an FParsec error (via `otherError`); it becomes the diagnostic's hint.
type SyntaxHint = SyntaxHint of string

/// An FParsec error that is already a complete diagnostic; it wins over the generic message.
let diagnosticError (d: Diagnostic) : ErrorMessageList = otherError (box d)

/// An "expected X" error with a hint.
let expectedWithHint (label: string) (hint: string) : ErrorMessageList =
    mergeErrors (expected label) (otherError (box (SyntaxHint hint)))

type private Collected =
    { Expected: string list
      Messages: string list
      Diagnostics: Diagnostic list
      Hints: string list }

let rec private collect (errors: ErrorMessageList) (acc: Collected) =
    if obj.ReferenceEquals(errors, null) then
        acc
    else
        let acc =
            match errors.Head with
            | :? ErrorMessage.Expected as e -> { acc with Expected = e.Label :: acc.Expected }
            | :? ErrorMessage.ExpectedString as e ->
                { acc with
                    Expected = ("'" + e.String + "'") :: acc.Expected }
            | :? ErrorMessage.Message as m -> { acc with Messages = m.String :: acc.Messages }
            | :? ErrorMessage.Other as o ->
                match o.Data with
                | :? Diagnostic as d -> { acc with Diagnostics = d :: acc.Diagnostics }
                | :? SyntaxHint as h ->
                    let (SyntaxHint text) = h
                    { acc with Hints = text :: acc.Hints }
                | _ -> acc
            | :? ErrorMessage.NestedError as n -> collect n.Messages acc
            | :? ErrorMessage.CompoundError as c -> collect c.NestedErrorMessages acc
            | _ -> acc

        collect errors.Tail acc

/// "a", "a or b", "a, b or c".
let joinAlternatives (items: string list) =
    match items with
    | [] -> ""
    | [ x ] -> x
    | _ ->
        let front = items |> List.take (items.Length - 1)
        String.Join(", ", front) + " or " + List.last items

/// The range a message about the token at `index` points at: the token itself, or, at the end of
/// the text, the place just after the last token (an empty last line would show nothing useful).
let private foundRange (state: ParseState) (index: int) (tokenEnd: int) =
    let source = state.Source

    if index >= source.Length && state.LastTokenEnd > 0 then
        source.Range(state.LastTokenEnd, state.LastTokenEnd)
    else
        source.Range(index, tokenEnd)

let private invalidCharacterHint (c: char) =
    match c with
    | ';' -> Some "declarations need no separator; remove the ';'"
    | '"'
    | '\'' -> Some "the language has no strings; supply files and tables as data inputs"
    | '#' -> Some "comments start with '//'"
    | _ when Char.IsLetter c -> Some "names use the ASCII letters, digits and '_'"
    | _ -> None

/// PPL0007 for an invalid character at `index`.
let invalidCharacter (state: ParseState) (index: int) =
    let text = state.Source.Text
    let struct (found, stop) = describeTokenAt text index
    let d =
        Diagnostic.error
            DiagnosticCatalogue.InvalidCharacter
            (state.Source.Range(index, stop))
            (sprintf "invalid character %s" found)

    match invalidCharacterHint text[index] with
    | Some h -> Diagnostic.withHint h d
    | None -> d

/// Advice that depends only on what was found.
let private situationalHint (state: ParseState) (index: int) (found: string) =
    match found with
    | "'|'" -> Some "write '||' for 'or'"
    | "'&'" -> Some "write '&&' for 'and'"
    | "'['"
    | "'('" when index < state.Source.Length && startsLine state index ->
        Some(
            sprintf
                "a %s at the start of a line begins something new; to index or call, put it on the same line as what precedes it"
                found
        )
    | _ -> None

let private withOptionalHint (hint: string option) (d: Diagnostic) =
    match hint with
    | Some h -> Diagnostic.withHint h d
    | None -> d

/// The diagnostic for a failed parse at `index`, given the parser state there.
let ofParserError (state: ParseState) (index: int) (errors: ErrorMessageList) : Diagnostic =
    let collected =
        collect
            errors
            { Expected = []
              Messages = []
              Diagnostics = []
              Hints = [] }

    match List.rev collected.Diagnostics with
    | d :: _ -> d
    | [] ->
        let text = state.Source.Text
        let struct (found, tokenEnd) = describeTokenAt text index
        let expectedText = collected.Expected |> List.distinct |> List.sort |> joinAlternatives
        let atEnd = index >= text.Length

        // Inside a function body a line may begin with `let` (or `return`); only a keyword that
        // cannot appear there shows that a `{` was left open.
        let atDeclaration =
            let word = wordAt text index

            let ends =
                match state.OpenBrackets with
                | openAt :: _ when text[openAt] = '{' ->
                    word <> "let" && word <> "for" && declarationKeywords.Contains word
                | _ -> declarationKeywords.Contains word

            not atEnd && ends && startsLine state index

        let hint =
            match List.rev collected.Hints with
            | h :: _ -> Some h
            | [] -> situationalHint state index found

        match state.OpenBrackets with
        | openAt :: _ when atEnd || atDeclaration ->
            let bracketHint =
                if expectedText = "" then
                    sprintf "close it before %s" found
                else
                    sprintf "expected %s before %s" expectedText found

            Diagnostic.error
                DiagnosticCatalogue.UnclosedBracket
                (state.Source.Range(openAt, openAt + 1))
                (sprintf "this '%c' is never closed" text[openAt])
            |> Diagnostic.withHint bracketHint
        | _ when not atEnd && isInvalidChar text[index] -> invalidCharacter state index
        | _ ->
            let message =
                match expectedText, List.rev collected.Messages with
                | "", m :: _ -> m
                | "", [] -> sprintf "unexpected %s" found
                | e, _ -> sprintf "expected %s, found %s" e found

            Diagnostic.error DiagnosticCatalogue.UnexpectedInput (foundRange state index tokenEnd) message
            |> withOptionalHint hint

/// PPL0008: something other than a declaration where one should begin (PPL0007 for an invalid character).
let expectedDeclaration (state: ParseState) (index: int) =
    let text = state.Source.Text

    if index < text.Length && isInvalidChar text[index] then
        invalidCharacter state index
    else
        let struct (found, tokenEnd) = describeTokenAt text index

        let d =
            Diagnostic.error
                DiagnosticCatalogue.DeclarationExpected
                (foundRange state index tokenEnd)
                (sprintf "expected a declaration (data, param, latent, observe, let, fun, factor), found %s" found)

        let word = wordAt text index

        let hint =
            match situationalHint state index found with
            | Some h -> Some h
            | None when word = "model" -> Some "a file holds one model; 'model Name' comes only once, at the start"
            | None when word = "return" ->
                Some "'return' ends a block body, as in 'fun f(x: real) -> real { return x }'"
            | None when not (startsLine state index) ->
                Some "the declaration before this is complete; is an operator or a new line missing?"
            | None -> None

        match found with
        | "'|'"
        | "'&'" ->
            Diagnostic.error
                DiagnosticCatalogue.UnexpectedInput
                (foundRange state index tokenEnd)
                (sprintf "%s is not an operator" found)
            |> withOptionalHint hint
        | "')'"
        | "']'"
        | "'}'" ->
            Diagnostic.error
                DiagnosticCatalogue.UnexpectedInput
                (foundRange state index tokenEnd)
                (sprintf "this %s closes nothing" found)
            |> Diagnostic.withHint "remove it, or add the bracket it should close"
        | _ -> withOptionalHint hint d
