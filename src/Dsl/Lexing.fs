/// Lexical primitives: the only place that knows about whitespace, comments, identifiers, keywords,
/// numbers and operator spellings. Every token parser consumes its token, records where the token
/// ended, and then skips the trivia (whitespace and comments) that follows it — never the trivia before.
module internal Ppl.Dsl.Lexing

open System
open System.Globalization
open System.Text.RegularExpressions
open FParsec
open Ppl.Diagnostics

/// The text being parsed, with a table of line starts so that any character index maps to a 1-based
/// line and column. Only '\n' ends a line (a '\r' before it is trailing whitespace), matching
/// `Diagnostic.render`.
[<Sealed>]
type SourceText(file: string, text: string) =
    let lineStarts =
        let starts = ResizeArray<int>()
        starts.Add 0

        for i in 0 .. text.Length - 1 do
            if text[i] = '\n' then
                starts.Add(i + 1)

        starts.ToArray()

    member _.File = file
    member _.Text = text
    member _.Length = text.Length

    /// The 0-based line holding `index` (an index equal to the length belongs to the last line).
    member _.LineOf(index: int) =
        let i = max 0 (min index text.Length)
        let found = Array.BinarySearch(lineStarts, i)
        if found >= 0 then found else ~~~found - 1

    member this.PositionAt(index: int) : SourcePosition =
        let i = max 0 (min index text.Length)
        let line = this.LineOf i
        { Line = line + 1; Column = i - lineStarts[line] + 1 }

    /// The range of the characters `[startIndex, endIndex)`.
    member this.Range(startIndex: int, endIndex: int) : SourceRange =
        { File = file
          Start = this.PositionAt startIndex
          End = this.PositionAt(max startIndex endIndex) }

/// How deeply the expression parser has recursed. Mutable and outside the backtracked state on
/// purpose: it is raised and lowered around each nested parse, failed or not.
[<Sealed>]
type NestingCounter() =
    member val Depth = 0 with get, set

/// Parser state threaded through FParsec. It is immutable, so backtracking restores it exactly.
[<NoEquality; NoComparison>]
type ParseState =
    {
        Source: SourceText
        /// End (exclusive index) of the last token consumed; -1 before the first token.
        LastTokenEnd: int
        /// Start indices of the brackets opened and not yet closed, innermost first.
        OpenBrackets: int list
        /// Expression nesting depth, bounded so that deep input cannot overflow the stack.
        Nesting: NestingCounter
        /// Diagnostics recorded without stopping the parse, newest first.
        Diagnostics: Diagnostic list
    }

type P<'a> = Parser<'a, ParseState>

/// Reserved words; none of them can name a variable.
let keywords =
    set
        [ "model"
          "data"
          "param"
          "latent"
          "observe"
          "let"
          "fun"
          "for"
          "in"
          "if"
          "then"
          "else"
          "true"
          "false"
          "return"
          "real"
          "int"
          "bool"
          "complex" ]

/// The keywords that begin a top-level declaration; error recovery resumes at a line starting with one. `factor` is
/// one only there: it is not reserved, so it can still name a variable (a Cholesky factor).
let declarationKeywords = set [ "data"; "param"; "latent"; "observe"; "let"; "fun"; "factor"; "for" ]

/// Element-type keywords; they may also be called as conversion functions, as in `real(z)`.
let typeKeywords = set [ "real"; "int"; "bool"; "complex" ]

let isIdentStart (c: char) = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c = '_'
let isIdentChar (c: char) = isIdentStart c || (c >= '0' && c <= '9')
let isDigit (c: char) = c >= '0' && c <= '9'
let isBlank (c: char) = c = ' ' || c = '\t' || c = '\r' || c = '\n'

/// True for characters that can start no token and are not whitespace.
let isInvalidChar (c: char) = not (isBlank c || isIdentChar c || "|&=!<>+-*/%@^~:,.()[]{}".IndexOf c >= 0)

// ---------------------------------------------------------------------------------------------
// Pure scanners over the text; the token parsers and the error-recovery scanner share them.
// ---------------------------------------------------------------------------------------------

/// Skips whitespace and comments from `i`. Returns the index after them and, when a block comment
/// is never closed, the index of its `/*` (the comment then runs to the end of the text).
let scanTrivia (text: string) (i: int) : struct (int * int) =
    let n = text.Length
    let mutable j = i
    let mutable unterminated = -1
    let mutable go = true

    while go && j < n do
        let c = text[j]

        if isBlank c then
            j <- j + 1
        elif c = '/' && j + 1 < n && text[j + 1] = '/' then
            let eol = text.IndexOf('\n', j)
            j <- if eol < 0 then n else eol
        elif c = '/' && j + 1 < n && text[j + 1] = '*' then
            let close = text.IndexOf("*/", j + 2, StringComparison.Ordinal)

            if close < 0 then
                unterminated <- j
                j <- n
            else
                j <- close + 2
        else
            go <- false

    struct (j, unterminated)

/// End of the identifier-shaped word at `i`, or `i` when none starts there.
let wordEnd (text: string) (i: int) =
    if i < text.Length && isIdentStart text[i] then
        let mutable j = i + 1

        while j < text.Length && isIdentChar text[j] do
            j <- j + 1

        j
    else
        i

/// The identifier-shaped word at `i`, or "" when none starts there.
let wordAt (text: string) (i: int) =
    let e = wordEnd text i
    if e > i then text.Substring(i, e - i) else ""

/// True when a number literal (possibly a malformed one such as `.5`) starts at `i`.
let startsNumber (text: string) (i: int) =
    i < text.Length
    && (isDigit text[i] || (text[i] = '.' && i + 1 < text.Length && isDigit text[i + 1]))

/// End of the number-shaped run at `i`: digits, letters, '_' and '.', plus a sign right after an
/// exponent marker. Taking the whole run lets `1.2.3`, `2N` and `1e` be reported as one bad literal.
let numberRunEnd (text: string) (i: int) =
    let n = text.Length
    let mutable j = i
    let mutable mantissaOnly = true

    while j < n && (isIdentChar text[j] || text[j] = '.') do
        let c = text[j]

        if (c = 'e' || c = 'E') && mantissaOnly && j + 1 < n && (text[j + 1] = '+' || text[j + 1] = '-') then
            j <- j + 2
        else
            j <- j + 1

        if not (isDigit c || c = '.') then
            mantissaOnly <- false

    j

/// The longest operator or punctuation spelling at `i`, or "" when none. (Lone `|` and `&` are no
/// operators, but naming them lets messages suggest `||` and `&&`.)
let operatorAt (text: string) (i: int) =
    if i >= text.Length then
        ""
    else
        let next = if i + 1 < text.Length then text[i + 1] else '\000'

        match text[i] with
        | '.' -> if next = '.' && i + 2 < text.Length && text[i + 2] = '.' then "..." else "."
        | '*' -> if next = '*' then "**" else "*"
        | '|' -> if next = '|' then "||" else "|"
        | '&' -> if next = '&' then "&&" else "&"
        | '=' -> if next = '=' then "==" else "="
        | '!' -> if next = '=' then "!=" else "!"
        | '<' -> if next = '=' then "<=" else "<"
        | '>' -> if next = '=' then ">=" else ">"
        | '-' -> if next = '>' then "->" else "-"
        | '+' -> "+"
        | '/' -> "/"
        | '%' -> "%"
        | '@' -> "@"
        | '^' -> "^"
        | '~' -> "~"
        | ':' -> ":"
        | ',' -> ","
        | '(' -> "("
        | ')' -> ")"
        | '[' -> "["
        | ']' -> "]"
        | '{' -> "{"
        | '}' -> "}"
        | _ -> ""

/// A readable rendering of one character for messages.
let describeChar (text: string) (i: int) =
    let c = text[i]

    if Char.IsSurrogatePair(text, i) then
        let cp = Char.ConvertToUtf32(text, i)
        sprintf "'%s' (U+%04X)" (text.Substring(i, 2)) cp
    elif Char.IsControl c || Char.IsSurrogate c || Char.IsWhiteSpace c then
        sprintf "U+%04X" (int c)
    elif int c > 127 then
        sprintf "'%c' (U+%04X)" c (int c)
    else
        sprintf "'%c'" c

/// Length of the character at `i` counted in UTF-16 units (2 for a surrogate pair).
let charLength (text: string) (i: int) = if Char.IsSurrogatePair(text, i) then 2 else 1

/// The token starting at `i` as a message shows it ("'then'", "')'", "end of input"), and its end.
let describeTokenAt (text: string) (i: int) : struct (string * int) =
    let quoteShort (s: string) = if s.Length > 30 then "'" + s.Substring(0, 27) + "...'" else "'" + s + "'"

    if i >= text.Length then
        struct ("end of input", i)
    elif isIdentStart text[i] then
        let e = wordEnd text i
        struct (quoteShort (text.Substring(i, e - i)), e)
    elif startsNumber text i then
        let e = numberRunEnd text i
        struct (quoteShort (text.Substring(i, e - i)), e)
    else
        match operatorAt text i with
        | "" -> struct (describeChar text i, i + charLength text i)
        | op -> struct ("'" + op + "'", i + op.Length)

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

let private validNumber = Regex(@"^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)
let private missingExponent = Regex(@"^[0-9]+(\.[0-9]+)?[eE][+-]?$", RegexOptions.CultureInvariant)
let private numberThenName =
    Regex(@"^([0-9]+(?:\.[0-9]+)?)([A-Za-z_][A-Za-z0-9_]*)$", RegexOptions.CultureInvariant)

/// The result of reading a number-shaped run of source text.
type NumberReading =
    | ValidNumber of Value: double * IsInt: bool
    /// A malformed literal: the message and an optional hint.
    | InvalidNumber of Message: string * Hint: string option

/// Classifies the spelling of a number literal.
let readNumber (spelling: string) : NumberReading =
    if validNumber.IsMatch spelling then
        let value = Double.Parse(spelling, NumberStyles.Float, CultureInfo.InvariantCulture)

        let isInt = spelling |> Seq.forall isDigit

        if Double.IsInfinity value then
            InvalidNumber(sprintf "number literal '%s' is too large" spelling, None)
        elif isInt && not (fst (Int64.TryParse(spelling, NumberStyles.None, CultureInfo.InvariantCulture))) then
            InvalidNumber(
                sprintf "integer literal '%s' is too large for an int (at most %d)" spelling Int64.MaxValue,
                Some(sprintf "write %s.0 for a real number" spelling)
            )
        else
            ValidNumber(value, isInt)
    else
        let message = sprintf "invalid number literal '%s'" spelling

        let hint =
            if spelling.StartsWith "." && validNumber.IsMatch("0" + spelling) then
                Some(sprintf "write 0%s" spelling)
            elif spelling.EndsWith "." && validNumber.IsMatch(spelling + "0") then
                Some(sprintf "write %s0" spelling)
            elif missingExponent.IsMatch spelling then
                Some "an exponent needs digits, as in 1e-3"
            else
                let m = numberThenName.Match spelling

                if m.Success then Some(sprintf "write %s * %s to multiply" m.Groups[1].Value m.Groups[2].Value)
                elif spelling.IndexOf('.') <> spelling.LastIndexOf('.') then Some "a number has at most one '.'"
                else None

        InvalidNumber(message, hint)

// ---------------------------------------------------------------------------------------------
// Parser-level primitives
// ---------------------------------------------------------------------------------------------

let inline textOf (stream: CharStream<ParseState>) = stream.UserState.Source.Text
let inline indexOf (stream: CharStream<ParseState>) = int stream.Index

/// Records a diagnostic without failing.
let addDiagnostic (stream: CharStream<ParseState>) (d: Diagnostic) =
    let s = stream.UserState
    stream.UserState <- { s with Diagnostics = d :: s.Diagnostics }

/// The diagnostic of a block comment opened at `start` (the index of its '/*') and never closed (PPL0005).
let unclosedComment (source: SourceText) start =
    Diagnostic.error
        DiagnosticCatalogue.UnclosedComment
        (source.Range(start, start + 2))
        "this block comment is never closed"
    |> Diagnostic.withHint "close it with '*/' (block comments do not nest)"

/// Skips trivia, reporting a block comment that is never closed (PPL0005).
let skipTrivia (stream: CharStream<ParseState>) =
    let text = textOf stream
    let start = indexOf stream
    let struct (stop, unterminated) = scanTrivia text start

    if unterminated >= 0 then
        unclosedComment stream.UserState.Source unterminated |> addDiagnostic stream

    if stop > start then
        stream.Skip(stop - start)

/// Consumes the `length` characters of a token at the current position, records its end and skips
/// the trivia after it.
let consumeToken (stream: CharStream<ParseState>) (length: int) =
    stream.Skip length
    let s = stream.UserState
    stream.UserState <- { s with LastTokenEnd = indexOf stream }
    skipTrivia stream

/// The leading trivia of the whole text (a byte-order mark included); every later token skips its own.
let leadingTrivia: P<unit> =
    fun stream ->
        if not stream.IsEndOfStream && stream.Peek() = '\uFEFF' then
            stream.Skip()
        skipTrivia stream
        Reply(())

/// The current index (the start of the next token).
let currentIndex: P<int> = fun stream -> Reply(indexOf stream)

/// The range from `start` to the end of the last token consumed.
let rangeFrom (start: int) : P<SourceRange> =
    fun stream ->
        let s = stream.UserState
        Reply(s.Source.Range(start, max start s.LastTokenEnd))

/// True when the next token starts on the line where the previous token ended (or there is none).
let onSameLineAsPrevious (stream: CharStream<ParseState>) =
    let s = stream.UserState
    s.LastTokenEnd > 0 && s.Source.LineOf(s.LastTokenEnd - 1) = s.Source.LineOf(indexOf stream)

/// True when the next token is the first one on its line.
let startsLine (state: ParseState) (index: int) =
    state.LastTokenEnd <= 0 || state.Source.LineOf(state.LastTokenEnd - 1) < state.Source.LineOf index

/// The word (identifier or keyword) at the current position without consuming it, or "".
let peekWord (stream: CharStream<ParseState>) = wordAt (textOf stream) (indexOf stream)

/// The operator spelling at the current position without consuming it, or "".
let peekOperator (stream: CharStream<ParseState>) = operatorAt (textOf stream) (indexOf stream)

/// The punctuation or operator `spelling` as a whole token (so `=` does not match the start of `==`).
let symbol (spelling: string) : P<unit> =
    let label = expected ("'" + spelling + "'")

    fun stream ->
        if peekOperator stream = spelling then
            consumeToken stream spelling.Length
            Reply(())
        else
            Reply(Error, label)

/// The keyword `word` as a whole word.
let keyword (word: string) : P<unit> =
    let label = expected ("'" + word + "'")

    fun stream ->
        if peekWord stream = word then
            consumeToken stream word.Length
            Reply(())
        else
            Reply(Error, label)

/// Pushes an opening bracket at the current position and consumes it.
let openBracket (spelling: string) : P<int> =
    let label = expected ("'" + spelling + "'")

    fun stream ->
        if peekOperator stream = spelling then
            let at = indexOf stream
            let s = stream.UserState
            stream.UserState <- { s with OpenBrackets = at :: s.OpenBrackets }
            consumeToken stream spelling.Length
            Reply(at)
        else
            Reply(Error, label)

/// Consumes a closing bracket and pops the innermost open one. `label` names what was expected,
/// e.g. "',' or ')'".
let closeBracket (spelling: string) (label: string) : P<unit> =
    let error = expected label

    fun stream ->
        if peekOperator stream = spelling then
            let s = stream.UserState

            stream.UserState <-
                { s with
                    OpenBrackets =
                        match s.OpenBrackets with
                        | _ :: rest -> rest
                        | [] -> [] }

            consumeToken stream spelling.Length
            Reply(())
        else
            Reply(Error, error)

/// Names `what` is used in PPL0004 ("cannot name a variable").
let private keywordAsName (source: SourceText) (word: string) (startIndex: int) (what: string) =
    let range = source.Range(startIndex, startIndex + word.Length)

    if word = "_" then
        Diagnostic.error
            DiagnosticCatalogue.KeywordAsName
            range
            (sprintf "'_' marks a new axis in index brackets and cannot name %s" what)
        |> Diagnostic.withHint "choose another name"
    else
        Diagnostic.error
            DiagnosticCatalogue.KeywordAsName
            range
            (sprintf "'%s' is a keyword and cannot name %s" word what)
        |> Diagnostic.withHint (sprintf "choose another name, e.g. '%s_'" word)

/// A name being bound or referred to (`what` says which kind, e.g. "a variable"). A keyword in this
/// position is reported (PPL0004) and then used as the name so that parsing goes on.
let name (what: string) : P<Ident> =
    let label = expected "a name"

    fun stream ->
        let word = peekWord stream

        if word = "" then
            Reply(Error, label)
        else
            let start = indexOf stream
            let s = stream.UserState

            if keywords.Contains word || word = "_" then
                addDiagnostic stream (keywordAsName s.Source word start what)

            consumeToken stream word.Length
            Reply(
                { Name = word
                  Range = s.Source.Range(start, start + word.Length) }
            )

/// A number literal. Malformed spellings are reported (PPL0003) and become `ErrorExpr`.
let number: P<Expr> =
    let label = expected "a number"

    fun stream ->
        let text = textOf stream
        let start = indexOf stream

        if not (startsNumber text start) then
            Reply(Error, label)
        else
            let stop = numberRunEnd text start
            let spelling = text.Substring(start, stop - start)
            let range = stream.UserState.Source.Range(start, stop)
            consumeToken stream (stop - start)

            match readNumber spelling with
            | ValidNumber(value, isInt) -> Reply(Number(value, isInt, spelling, range))
            | InvalidNumber(message, hint) ->
                let d = Diagnostic.error DiagnosticCatalogue.InvalidNumber range message
                addDiagnostic
                    stream
                    (match hint with
                     | Some h -> Diagnostic.withHint h d
                     | None -> d)
                Reply(ErrorExpr range)
