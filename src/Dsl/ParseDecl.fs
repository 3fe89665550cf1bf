/// Declarations (`data`, `param`, `latent`, `observe`, `let`, `fun`) and types. The value of a
/// declaration recovers on its own: a malformed value is reported, replaced by `ErrorExpr`, and the
/// declaration is kept, so that its name stays bound and later stages do not report it as missing.
module internal Ppl.Dsl.ParseDecl

open FParsec
open Ppl.Dsl.Lexing
open Ppl.Dsl.SyntaxErrors
open Ppl.Dsl.Recovery
open Ppl.Dsl.ParseExpr

/// An expression that never fails: when malformed it is reported, the text up to the next
/// resumption point is skipped, and an `ErrorExpr` covering what was read and skipped stands in.
let value (context: RecoveryContext) : P<Expr> =
    fun stream ->
        let saved = stream.UserState
        let start = indexOf stream
        let r = expr stream

        if r.Status = Ok then
            r
        else
            recover context saved 0 r.Error stream |> ignore
            let s = stream.UserState

            if s.LastTokenEnd > start then
                Reply(ErrorExpr(s.Source.Range(start, s.LastTokenEnd)))
            else
                Reply(ErrorExpr(s.Source.Range(s.LastTokenEnd, s.LastTokenEnd)))

/// The punctuation `spelling`; when something listed in `hints` is found instead, its hint is added.
let private expect (spelling: string) (hints: (string * string) list) : P<unit> =
    let plain = expected ("'" + spelling + "'")

    fun stream ->
        let found = peekOperator stream

        if found = spelling then
            consumeToken stream spelling.Length
            Reply(())
        else
            let foundWord = if found = "" then peekWord stream else found

            match hints |> List.tryFind (fun (f, _) -> f = foundWord) with
            | Some(_, hint) -> Reply(Error, expectedWithHint ("'" + spelling + "'") hint)
            | None -> Reply(Error, plain)

let private elementType (word: string) =
    match word with
    | "real" -> Some Real
    | "int" -> Some Int
    | "bool" -> Some Bool
    | "complex" -> Some Complex
    | _ -> None

/// `real`, `int[N]`, `real[5, N, 2 * N]`. The `[` must be on the line of the element type.
let typeExpr: P<TypeExpr> =
    let dims = openBracket "[" >>. commaSeparated expr "]" "',' or ']'"

    let parse (stream: CharStream<ParseState>) =
        let start = indexOf stream
        let word = peekWord stream

        match elementType word with
        | None -> Reply(Error, NoErrorMessages)
        | Some elem ->
            consumeToken stream word.Length

            let sizes = if peekOperator stream = "[" && onSameLineAsPrevious stream then dims stream else Reply([])

            if sizes.Status <> Ok then
                fail sizes
            else
                let s = stream.UserState

                Reply(
                    { Elem = elem
                      Dims = sizes.Result
                      Range = s.Source.Range(start, s.LastTokenEnd) }
                )

    parse <?> "a type (real, int, bool or complex)"

/// An optional `: TYPE`.
let private optionalType: P<TypeExpr option> =
    let label = expected "':'"

    fun stream ->
        if peekOperator stream = ":" then
            consumeToken stream 1
            let t = typeExpr stream
            if t.Status = Ok then Reply(Some t.Result) else fail t
        else
            Reply(Ok, None, label)

let private randomNotFixed role =
    sprintf "'%s' needs a distribution, as in '%s x ~ Normal(0, 1)'; use 'let' for a fixed value" role role

let private data: P<Decl> =
    let dataNeedsType = "a data declaration needs a type, as in 'data N: int = 8'"

    currentIndex .>> keyword "data" .>>. name "a variable"
    .>> expect ":" [ "=", dataNeedsType; "~", dataNeedsType ]
    .>>. typeExpr
    .>>. opt (symbol "=" >>. value TopLevel)
    >>= fun (((start, n), t), d) -> rangeFrom start |>> fun r -> Data(n, t, d, r)

/// `~ prior`; or nothing more on the line: a param declared without a prior has the improper flat prior, as in Stan,
/// and reads as `~ Flat()` (a call whose range is the param's name). Anything else on the line still needs the `~`.
let private paramPrior (nameRange: SourceRange) : P<Expr> =
    fun stream ->
        let next = peekOperator stream
        let lineEnds = stream.IsEndOfStream || not (onSameLineAsPrevious stream)
        if next <> "~" && next <> "=" && lineEnds then
            Reply(Call({ Name = "Flat"; Range = nameRange }, [], nameRange))
        else
            (expect "~" [ "=", randomNotFixed "param" ] >>. value TopLevel) stream

let private param: P<Decl> =
    currentIndex .>> keyword "param" .>>. name "a variable" .>>. optionalType
    >>= fun ((start, n), t) -> paramPrior n.Range |>> fun prior -> (((start, n), t), prior)
    >>= fun (((start, n), t), prior) -> rangeFrom start |>> fun r -> Param(n, t, prior, r)

let private latent: P<Decl> =
    currentIndex .>> keyword "latent" .>>. name "a variable" .>>. optionalType
    .>> expect "~" [ "=", randomNotFixed "latent" ]
    .>>. value TopLevel
    >>= fun (((start, n), t), prior) -> rangeFrom start |>> fun r -> Latent(n, t, prior, r)

let private observeRhs: P<ObserveRhs> =
    let parse (stream: CharStream<ParseState>) =
        match peekOperator stream with
        | "~" ->
            consumeToken stream 1
            Reply(Distributed((value TopLevel stream).Result))
        | "=" ->
            consumeToken stream 1
            Reply(Exact((value TopLevel stream).Result))
        | _ -> Reply(Error, NoErrorMessages)

    parse <?> "'~' or '='"

let private observeWhole (start: int) (n: Ident) : P<Decl> =
    optionalType .>>. observeRhs >>= fun (t, rhs) -> rangeFrom start |>> fun r -> Observe(n, t, rhs, r)

/// `observe y[5:N] ~ d`: part of data `y` observed; the `[` must be on the line of the name.
let private observePart (start: int) (nameStart: int) (n: Ident) : P<Decl> =
    fun stream ->
        let items = indexItems stream

        if items.Status <> Ok then
            Reply(items.Status, items.Error)
        else
            let target =
                Index(Var n, items.Result, stream.UserState.Source.Range(nameStart, stream.UserState.LastTokenEnd))

            (expect "~" [ "=", "a part of data can only be observed with a distribution: observe y[...] ~ d" ]
             >>. value TopLevel
             >>= fun d -> rangeFrom start |>> fun r -> ObservePart(target, d, r))
                stream

let private observe: P<Decl> =
    currentIndex .>> keyword "observe" .>>. currentIndex .>>. name "a variable"
    >>= fun ((start, nameStart), n) ->
        fun stream ->
            if peekOperator stream = "[" && onSameLineAsPrevious stream then
                observePart start nameStart n stream
            else
                observeWhole start n stream

let private letHint =
    "'let' binds a value computed from others; use 'latent' or 'param' for a random variable"

/// `let NAME (: TYPE)? =`, shared by top-level and local bindings.
let private letHead: P<(int * Ident) * TypeExpr option> =
    currentIndex .>> keyword "let" .>>. name "a variable" .>>. optionalType
    .>> expect "=" [ "~", letHint ]

let private letDecl: P<Decl> =
    letHead .>>. value TopLevel
    >>= fun (((start, n), t), v) -> rangeFrom start |>> fun r -> Let(n, t, v, r)

let private localLet: P<LocalLet> =
    letHead .>>. value Block
    >>= fun (((start, n), t), v) -> rangeFrom start |>> fun r -> { Name = n; Type = t; Value = v; Range = r }

let private funParam: P<FunParam> =
    currentIndex .>>. name "a parameter" .>> expect ":" [] .>>. typeExpr
    >>= fun ((start, n), t) -> rangeFrom start |>> fun r -> { Name = n; Type = t; Range = r }

let private funParams: P<FunParam list> =
    let items = commaSeparated funParam ")" "',' or ')'"

    openBracket "("
    >>. fun stream ->
        if peekOperator stream = ")" then
            closeBracket ")" "')'" stream |> ignore
            Reply([])
        else
            items stream

/// `s = e` inside a loop body: a new value of a loop state.
let private update: P<Decl> =
    currentIndex .>>. name "a variable" .>> expect "=" [] .>>. value Block
    >>= fun ((start, n), v) -> rangeFrom start |>> fun r -> Update(n, v, r)

/// True when the word at the current position is followed by `=` (not `==`): a state update.
let private startsUpdate (stream: CharStream<ParseState>) (word: string) =
    let text = textOf stream
    let stop = indexOf stream + word.Length
    let struct (next, _) = scanTrivia text stop
    word <> ""
    && isIdentStart word[0]
    && next < text.Length
    && text[next] = '='
    && not (next + 1 < text.Length && text[next + 1] = '=')

/// `{ item* }` of a loop: lets, latents, observes and state updates, one per line. An error inside is recovered at the
/// next item or at the `}`; a top-level declaration keyword at the start of a line ends a body left open (PPL0006).
let private loopBody: P<Decl list> =
    fun stream ->
        let opened = openBracket "{" stream

        if opened.Status <> Ok then
            Reply(Error, opened.Error)
        else
            let items = ResizeArray<Decl>()
            let mutable finished = false

            while not finished do
                let s = stream.UserState
                let text = s.Source.Text
                let i = indexOf stream
                let word = peekWord stream

                let item (parser: P<Decl>) =
                    let r = parser stream
                    if r.Status = Ok then items.Add r.Result else recover Block s (i + 1) r.Error stream |> ignore

                if peekOperator stream = "}" then
                    closeBracket "}" "'}'" stream |> ignore
                    finished <- true
                elif
                    i >= text.Length
                    || (List.contains word [ "data"; "param"; "fun"; "for"; "factor"; "model" ] && startsLine s i)
                then
                    addDiagnostic stream (ofParserError s i (expected "'}'"))
                    stream.UserState <-
                        { stream.UserState with
                            OpenBrackets = List.tail stream.UserState.OpenBrackets }
                    finished <- true
                elif word = "let" then
                    item letDecl
                elif word = "latent" then
                    item latent
                elif word = "observe" then
                    item observe
                elif startsUpdate stream word then
                    item update
                else
                    recover
                        Block
                        s
                        (i + 1)
                        (expected "'let', 'latent', 'observe', a state update 's = ...' or '}'")
                        stream
                    |> ignore

            Reply(List.ofSeq items)

let private loopState: P<LoopState> =
    currentIndex .>>. name "a loop state" .>> expect "=" [] .>>. expr
    >>= fun ((start, n), init) -> rangeFrom start |>> fun r -> { Name = n; Init = init; Range = r }

/// `with s = init, u = init` (optional).
let private loopStates: P<LoopState list> =
    fun stream ->
        if peekWord stream = "with" then
            consumeToken stream 4
            let first = loopState stream

            if first.Status <> Ok then
                Reply(Error, first.Error)
            else
                let states = ResizeArray [ first.Result ]
                let mutable failed = None

                while failed.IsNone && peekOperator stream = "," do
                    consumeToken stream 1
                    let r = loopState stream
                    if r.Status = Ok then states.Add r.Result else failed <- Some r.Error

                match failed with
                | Some e -> Reply(Error, e)
                | None -> Reply(List.ofSeq states)
        else
            Reply([])

let private loopDecl: P<Decl> =
    currentIndex .>> keyword "for" .>>. name "a loop index" .>> keyword "in" .>>. expr .>> expect ":" []
    .>>. expr
    .>>. loopStates
    .>>. loopBody
    >>= fun (((((start, var), lo), hi), states), body) ->
        rangeFrom start |>> fun r -> Loop(var, lo, hi, states, body, r)

/// `{ (let ...)* return e }`. Errors inside are recovered here, at the next `let`, `return` or `}`,
/// so one mistake does not cost the whole function. A block left open ends at the next
/// top-level declaration (PPL0006).
let private block: P<FunBody> =
    fun stream ->
        let start = indexOf stream
        openBracket "{" stream |> ignore
        let lets = ResizeArray<LocalLet>()
        let loops = ResizeArray<int * Decl>()
        let mutable result: Expr option = None
        let mutable finished = false

        while not finished do
            let s = stream.UserState
            let text = s.Source.Text
            let i = indexOf stream
            let word = peekWord stream

            if peekOperator stream = "}" then
                if result.IsNone then
                    let d =
                        ofParserError s i (expected "'let' or 'return'")
                        |> Diagnostic.withHint "a block body ends with 'return e'"

                    addDiagnostic stream d
                    result <- Some(ErrorExpr(s.Source.Range(i, i)))

                closeBracket "}" "'}'" stream |> ignore
                finished <- true
            elif
                i >= text.Length
                || (word <> "let" && word <> "for" && declarationKeywords.Contains word && startsLine s i)
            then
                // The `{` is still on the bracket stack, so this reports it as never closed.
                let label = if result.IsNone then "'let', 'return' or '}'" else "'}'"
                addDiagnostic stream (ofParserError s i (expected label))

                stream.UserState <-
                    { stream.UserState with
                        OpenBrackets = List.tail stream.UserState.OpenBrackets }

                finished <- true
            elif word = "let" && result.IsNone then
                let r = localLet stream
                if r.Status = Ok then lets.Add r.Result else recover Block s (i + 1) r.Error stream |> ignore
            elif word = "for" && result.IsNone then
                let r = loopDecl stream
                if r.Status = Ok then
                    loops.Add((lets.Count, r.Result))
                else
                    recover Block s (i + 1) r.Error stream |> ignore
            elif word = "return" && result.IsNone then
                consumeToken stream word.Length
                result <- Some((value Block stream).Result)
            else
                let label = if result.IsNone then "'let', 'return' or '}'" else "'}'"
                recover Block s (i + 1) (expected label) stream |> ignore

        let s = stream.UserState

        let resultExpr =
            match result with
            | Some e -> e
            | None -> ErrorExpr(s.Source.Range(s.LastTokenEnd, s.LastTokenEnd))

        Reply(
            { Lets = List.ofSeq lets
              Loops = List.ofSeq loops
              Result = resultExpr
              Range = s.Source.Range(start, s.LastTokenEnd) }
        )

let private funBody: P<FunBody> =
    let parse (stream: CharStream<ParseState>) =
        match peekOperator stream with
        | "=" ->
            consumeToken stream 1
            let v = (value TopLevel stream).Result

            Reply(
                { Lets = []
                  Loops = []
                  Result = v
                  Range = Syntax.exprRange v }
            )
        | "{" -> block stream
        | _ -> Reply(Error, NoErrorMessages)

    parse <?> "'=' or '{'"

let private funDecl: P<Decl> =
    let arrowHint = "a function declares its result type, as in 'fun f(x: real) -> real = x'"

    currentIndex .>> keyword "fun" .>>. name "a function" .>>. funParams
    .>> expect "->" [ "=", arrowHint; "{", arrowHint ]
    .>>. typeExpr
    .>>. funBody
    >>= fun (((((start, n), ps), ret), body)) -> rangeFrom start |>> fun r -> Fun(n, ps, ret, body, r)

let private factor: P<Decl> =
    currentIndex .>> keyword "factor" .>>. value TopLevel
    >>= fun (start, v) -> rangeFrom start |>> fun r -> Factor(v, r)

/// One top-level declaration, chosen by its keyword.
let declaration: P<Decl> =
    let label = expected "a declaration"

    fun stream ->
        match peekWord stream with
        | "data" -> data stream
        | "param" -> param stream
        | "latent" -> latent stream
        | "observe" -> observe stream
        | "let" -> letDecl stream
        | "fun" -> funDecl stream
        | "factor" -> factor stream
        | "for" -> loopDecl stream
        | _ -> Reply(Error, label)
