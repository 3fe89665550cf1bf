/// Error recovery: after a syntax error, skip to a place where parsing can sensibly resume.
/// At the top level that is the next line beginning with a declaration keyword; inside a function's
/// block body it is also a line beginning with `let` or `return`, or the closing `}`.
module internal Ppl.Dsl.Recovery

open FParsec
open Ppl.Dsl.Lexing
open Ppl.Diagnostics

/// Where the parser is when an error happens, which decides where it may resume.
type RecoveryContext =
    /// Between or inside top-level declarations.
    | TopLevel
    /// Inside the `{ ... }` body of a function.
    | Block

/// What a skip passed over.
[<Struct>]
type Skip =
    {
        /// Index where parsing resumes (the text's length when nothing suitable follows).
        Stop: int
        /// End of the last token skipped, or -1 when none was.
        LastSkippedEnd: int
        /// Start of a block comment met while skipping that is never closed, or -1.
        UnterminatedComment: int
    }

let private topLevelOnlyKeywords = set [ "data"; "param"; "latent"; "observe"; "fun"; "for" ]

/// Scans from `start` for the first resumption point at or after `minStop`. `previousTokenEnd` is
/// the end of the token before `start`, to tell whether a token is the first on its line.
/// Braces are counted so that a top-level skip does not stop at a `let` inside a function body.
let scan (source: SourceText) (previousTokenEnd: int) (start: int) (minStop: int) (context: RecoveryContext) : Skip =
    let text = source.Text
    let n = text.Length
    let mutable i = start
    let mutable previousEnd = previousTokenEnd
    let mutable lastSkippedEnd = -1
    let mutable depth = 0
    let mutable unterminated = -1
    let mutable stop = -1

    while stop < 0 && i < n do
        let struct (afterTrivia, openComment) = scanTrivia text i

        if openComment >= 0 && unterminated < 0 then
            unterminated <- openComment

        i <- afterTrivia

        if i < n then
            let firstOnLine = previousEnd <= 0 || source.LineOf(previousEnd - 1) < source.LineOf i
            let word = wordAt text i
            let c = text[i]

            let resumesHere =
                i >= minStop
                && match context with
                   | TopLevel -> firstOnLine && (topLevelOnlyKeywords.Contains word || (word = "let" && depth <= 0))
                   | Block ->
                       (firstOnLine && topLevelOnlyKeywords.Contains word)
                       || (depth <= 0 && (c = '}' || (firstOnLine && (word = "let" || word = "return"))))

            if resumesHere then
                stop <- i
            else
                let struct (_, tokenEnd) = describeTokenAt text i

                if c = '{' then
                    depth <- depth + 1
                elif c = '}' then
                    depth <- depth - 1

                previousEnd <- tokenEnd
                lastSkippedEnd <- tokenEnd
                i <- tokenEnd

    { Stop = (if stop < 0 then n else stop)
      LastSkippedEnd = lastSkippedEnd
      UnterminatedComment = unterminated }

/// Records `diagnostic`, skips to the next resumption point at or after `minStop`, and restores the
/// bracket stack to what it was in `saved` (the brackets opened by the failed part are abandoned).
/// Returns the end of the last token skipped, or -1 when nothing was skipped.
let skipAfter
    (context: RecoveryContext)
    (saved: ParseState)
    (minStop: int)
    (diagnostic: Diagnostic)
    (stream: CharStream<ParseState>)
    =
    let failed = stream.UserState
    let at = int stream.Index
    let skip = scan failed.Source failed.LastTokenEnd at (max at minStop) context

    let commentDiagnostics =
        if skip.UnterminatedComment >= 0 then
            [ Lexing.unclosedComment failed.Source skip.UnterminatedComment ]
        else
            []

    stream.Seek(int64 skip.Stop)

    stream.UserState <-
        { failed with
            LastTokenEnd = max failed.LastTokenEnd skip.LastSkippedEnd
            OpenBrackets = saved.OpenBrackets
            Diagnostics = commentDiagnostics @ diagnostic :: failed.Diagnostics }

    skip.LastSkippedEnd

/// Like `skipAfter`, with the diagnostic built from the FParsec error of the failed parser.
let recover
    (context: RecoveryContext)
    (saved: ParseState)
    (minStop: int)
    (errors: ErrorMessageList)
    (stream: CharStream<ParseState>)
    =
    let diagnostic = SyntaxErrors.ofParserError stream.UserState (int stream.Index) errors
    skipAfter context saved minStop diagnostic stream
