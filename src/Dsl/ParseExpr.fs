/// Expressions, lowest to highest precedence: `if c then a else b`; `||`; `&&`; comparisons
/// (non-associative); `+ -`; `* / % @`; prefix `- !`; `^` (right-associative, `**` accepted);
/// postfix call, index and field; primaries. A node's range runs from the start of its first token
/// to the end of its last one, parentheses included.
module internal Ppl.Dsl.ParseExpr

open FParsec
open Ppl.Dsl.Lexing
open Ppl.Dsl.SyntaxErrors
open Ppl.Diagnostics

/// Deepest expression nesting accepted (brackets, prefix operators, `^` chains and `if`s each
/// count). A level costs up to ~6 KB of stack in a debug build (nested vectors and indexing are the
/// dearest), so 64 levels stay under 400 KB, well inside the 1 MiB a test thread gets and the
/// 1.5 MiB of a worker thread; any real model nests far less.
[<Literal>]
let MaxNesting = 64

let private exprForward, private exprRef = createParserForwardedToRef<Expr, ParseState>()
let private unaryForward, private unaryRef = createParserForwardedToRef<Expr, ParseState>()

/// A full expression, labelled "an expression" when nothing of one is found.
let expr: P<Expr> = exprForward

/// Refuses input nested beyond `MaxNesting` (PPL0010) instead of overflowing the stack.
let private tooDeep (stream: CharStream<ParseState>) : Reply<'a> =
    let s = stream.UserState
    let i = int stream.Index
    let struct (_, stop) = describeTokenAt s.Source.Text i

    let d =
        Diagnostic.error
            DiagnosticCatalogue.SyntaxNestedTooDeeply
            (s.Source.Range(i, stop))
            "this expression is nested too deeply"
        |> Diagnostic.withHint (sprintf "split it with 'let' bindings (at most %d levels of nesting)" MaxNesting)

    Reply(FatalError, diagnosticError d)

/// Runs `p` one nesting level deeper.
let private nested (p: P<'a>) : P<'a> =
    fun stream ->
        let counter = stream.UserState.Nesting

        if counter.Depth >= MaxNesting then
            tooDeep stream
        else
            counter.Depth <- counter.Depth + 1

            try
                p stream
            finally
                counter.Depth <- counter.Depth - 1

/// The failure `r` re-typed for the enclosing parser.
let fail (r: Reply<'b>) : Reply<'a> = Reply(r.Status, r.Error)

// Binding strength of the binary operators below `^` (which `power` handles); higher binds tighter.
[<Literal>]
let private OrLevel = 1

[<Literal>]
let private AndLevel = 2

[<Literal>]
let private ComparisonLevel = 3

[<Literal>]
let private AdditiveLevel = 4

[<Literal>]
let private MultiplicativeLevel = 5

let private binaryOperators =
    dict
        [ "||", (OrLevel, Or)
          "&&", (AndLevel, And)
          "==", (ComparisonLevel, Eq)
          "!=", (ComparisonLevel, Ne)
          "<", (ComparisonLevel, Lt)
          "<=", (ComparisonLevel, Le)
          ">", (ComparisonLevel, Gt)
          ">=", (ComparisonLevel, Ge)
          "+", (AdditiveLevel, Add)
          "-", (AdditiveLevel, Sub)
          "*", (MultiplicativeLevel, Mul)
          "/", (MultiplicativeLevel, Div)
          "%", (MultiplicativeLevel, Mod)
          "@", (MultiplicativeLevel, MatMul) ]

/// The binary operator at the current position, if any, with its level.
let private peekBinary (stream: CharStream<ParseState>) =
    match binaryOperators.TryGetValue(peekOperator stream) with
    | true, (level, op) -> ValueSome(struct (level, op))
    | _ -> ValueNone

/// Binary operators by precedence climbing: operands joined by operators of level `minLevel` or
/// tighter, folded to the left. Recursion goes one call deeper per precedence level, never per
/// operator, so long sums cost no stack. Comparisons do not chain: `a < b < c` is reported and
/// becomes `ErrorExpr`.
let rec private binary (operand: P<Expr>) (minLevel: int) (stream: CharStream<ParseState>) : Reply<Expr> =
    let start = indexOf stream
    let first = operand stream

    if first.Status <> Ok then
        first
    else
        let mutable acc = first.Result
        let mutable failure: Reply<Expr> voption = ValueNone
        let mutable previousWasComparison = false
        let mutable chainReported = false
        let mutable go = true

        while go do
            match peekBinary stream with
            | ValueSome(struct (level, op)) when level >= minLevel ->
                let at = indexOf stream
                let spelling = peekOperator stream
                let chained = level = ComparisonLevel && previousWasComparison

                if chained && not chainReported then
                    chainReported <- true

                    Diagnostic.error
                        DiagnosticCatalogue.UnexpectedInput
                        (stream.UserState.Source.Range(at, at + spelling.Length))
                        "comparison operators cannot be chained"
                    |> Diagnostic.withHint "combine comparisons with '&&', as in 'a < b && b < c'"
                    |> addDiagnostic stream

                consumeToken stream spelling.Length
                let right = binary operand (level + 1) stream

                if right.Status <> Ok then
                    failure <- ValueSome right
                    go <- false
                else
                    let s = stream.UserState
                    let range = s.Source.Range(start, s.LastTokenEnd)
                    acc <- if chained then ErrorExpr range else Binary(op, acc, right.Result, range)
                    previousWasComparison <- level = ComparisonLevel
            | _ -> go <- false

        match failure with
        | ValueSome f -> f
        | ValueNone -> Reply(acc)

/// True when a named argument `name = value` starts here (a word, then `=` but not `==`).
let private namedArgumentAhead (stream: CharStream<ParseState>) =
    let text = textOf stream
    let i = indexOf stream
    let stop = wordEnd text i

    stop > i
    && (let struct (next, _) = scanTrivia text stop
        operatorAt text next = "=")

/// One call argument: `name = e` or `e`.
let private argument: P<Arg> =
    fun stream ->
        if namedArgumentAhead stream then
            let n = name "an argument" stream
            symbol "=" stream |> ignore
            let value = expr stream
            if value.Status = Ok then Reply(Named(n.Result, value.Result)) else fail value
        else
            let value = expr stream
            if value.Status = Ok then Reply(Positional value.Result) else fail value

/// Items separated by commas up to the closing bracket; `closeLabel` names what may follow an item.
let commaSeparated (item: P<'a>) (close: string) (closeLabel: string) : P<'a list> =
    fun stream ->
        let items = ResizeArray<'a>()
        let mutable failure: Reply<'a list> option = None
        let mutable go = true

        while go do
            let r = item stream

            if r.Status <> Ok then
                failure <- Some(fail r)
                go <- false
            else
                items.Add r.Result
                if peekOperator stream = "," then consumeToken stream 1 else go <- false

        match failure with
        | Some f -> f
        | None ->
            let c = closeBracket close closeLabel stream
            if c.Status = Ok then Reply(List.ofSeq items) else fail c

/// `( args )` after a callee; a positional argument after a named one is reported (PPL0009).
let private callArguments: P<Arg list> =
    fun stream ->
        openBracket "(" stream |> ignore

        let args =
            if peekOperator stream = ")" then
                closeBracket ")" "')'" stream |> ignore
                Reply([])
            else
                commaSeparated argument ")" "',' or ')'" stream

        if args.Status = Ok then
            let mutable seenNamed = false

            for a in args.Result do
                match a with
                | Named _ -> seenNamed <- true
                | Positional value when seenNamed ->
                    Diagnostic.error
                        DiagnosticCatalogue.PositionalAfterNamed
                        (Syntax.exprRange value)
                        "positional argument after a named one"
                    |> Diagnostic.withHint "put positional arguments first, as in f(a, b, lower = c)"
                    |> addDiagnostic stream
                | Positional _ -> ()

        args

/// An optional slice part: absent when the next token ends it.
let private slicePart (stream: CharStream<ParseState>) : Reply<Expr option> =
    match peekOperator stream with
    | ":"
    | ","
    | "]" -> Reply(None)
    | _ ->
        let r = expr stream
        if r.Status = Ok then Reply(Some r.Result) else fail r

let private anIndex = expected "an index"

/// One index item: `e`, a slice `a:b:c` (each part optional), `...` or `_`.
let private indexItem (stream: CharStream<ParseState>) : Reply<IndexItem> =
    let source = stream.UserState.Source
    let start = indexOf stream

    if peekOperator stream = "..." then
        consumeToken stream 3
        Reply(Ellipsis(source.Range(start, start + 3)))
    elif peekWord stream = "_" then
        consumeToken stream 1
        Reply(NewAxis(source.Range(start, start + 1)))
    else
        let tag = stream.StateTag
        let first = slicePart stream

        if first.Status = Error && stream.StateTag = tag then
            Reply(Error, anIndex)
        elif first.Status <> Ok then
            fail first
        elif peekOperator stream <> ":" then
            match first.Result with
            | Some e -> Reply(Single e)
            // Only reachable when the item is empty, as in `x[]` or `x[1, ]`.
            | None -> Reply(Error, anIndex)
        else
            consumeToken stream 1
            let stop = slicePart stream

            if stop.Status <> Ok then
                fail stop
            else
                let step =
                    if peekOperator stream = ":" then
                        consumeToken stream 1
                        slicePart stream
                    else
                        Reply(None)

                if step.Status <> Ok then
                    fail step
                else
                    let s = stream.UserState
                    Reply(Slice(first.Result, stop.Result, step.Result, s.Source.Range(start, s.LastTokenEnd)))

/// `[ items ]` after an indexed expression (also the part of a data name an `observe y[...]` observes).
let indexItems: P<IndexItem list> = openBracket "[" >>. commaSeparated indexItem "]" "',' or ']'"

/// The name after `.`; keywords are fine here (`z.real` is unambiguous).
let private fieldName: P<Ident> =
    fun stream ->
        let word = peekWord stream

        if word = "" then
            Reply(Error, expected "a field name")
        else
            let start = indexOf stream
            consumeToken stream word.Length
            Reply(
                { Name = word
                  Range = stream.UserState.Source.Range(start, start + word.Length) }
            )

/// Calls, indexing and field access, left to right. `(` and `[` continue an expression only when
/// they start on the line where it ends; on a new line they begin something new.
let private postfix (primary: P<Expr>) : P<Expr> =
    fun stream ->
        let start = indexOf stream
        let first = primary stream

        if first.Status <> Ok then
            first
        else
            let mutable acc = first.Result
            let mutable failure: Reply<Expr> option = None
            let mutable go = true

            while go do
                let spelling = peekOperator stream

                if spelling = "(" && onSameLineAsPrevious stream then
                    let openAt = indexOf stream
                    let args = callArguments stream

                    if args.Status <> Ok then
                        failure <- Some(fail args)
                        go <- false
                    else
                        let s = stream.UserState
                        let range = s.Source.Range(start, s.LastTokenEnd)

                        match acc with
                        | Var callee -> acc <- Call(callee, args.Result, range)
                        | _ ->
                            Diagnostic.error
                                DiagnosticCatalogue.UnexpectedInput
                                (s.Source.Range(openAt, openAt + 1))
                                "only named functions can be called"
                            |> Diagnostic.withHint "call a function by its name, as in f(x)"
                            |> addDiagnostic stream

                            acc <- ErrorExpr range
                elif spelling = "[" && onSameLineAsPrevious stream then
                    let items = indexItems stream

                    if items.Status <> Ok then
                        failure <- Some(fail items)
                        go <- false
                    else
                        let s = stream.UserState
                        acc <- Index(acc, items.Result, s.Source.Range(start, s.LastTokenEnd))
                elif spelling = "." then
                    consumeToken stream 1
                    let field = fieldName stream

                    if field.Status <> Ok then
                        failure <- Some(fail field)
                        go <- false
                    else
                        let s = stream.UserState
                        acc <- Field(acc, field.Result, s.Source.Range(start, s.LastTokenEnd))
                else
                    go <- false

            match failure with
            | Some f -> f
            | None -> Reply(acc)

let private ifParts =
    keyword "if" >>. expr .>>. (keyword "then" >>. expr) .>>. (keyword "else" >>. expr)

/// `if c then a else b`; the else branch extends as far right as possible.
let private ifExpr: P<Expr> =
    fun stream ->
        let start = indexOf stream
        let r = ifParts stream

        if r.Status <> Ok then
            fail r
        else
            let ((c, a), b) = r.Result
            let s = stream.UserState
            Reply(If(c, a, b, s.Source.Range(start, s.LastTokenEnd)))

let private comprehensionTail =
    (keyword "for" >>. name "a variable") .>>. (keyword "in" >>. expr) .>>. (symbol ":" >>. expr)
    .>> closeBracket "]" "']'"

/// `[a, b]` or `[body for i in lo:hi]`; `[]` is reported and becomes `ErrorExpr`.
let private vectorOrComprehension: P<Expr> =
    fun stream ->
        let start = indexOf stream
        openBracket "[" stream |> ignore

        if peekOperator stream = "]" then
            closeBracket "]" "']'" stream |> ignore
            let s = stream.UserState
            let range = s.Source.Range(start, s.LastTokenEnd)

            Diagnostic.error DiagnosticCatalogue.UnexpectedInput range "a vector literal needs at least one element"
            |> addDiagnostic stream

            Reply(ErrorExpr range)
        else
            let first = expr stream

            if first.Status <> Ok then
                first
            elif peekWord stream = "for" then
                let r = comprehensionTail stream

                if r.Status <> Ok then
                    fail r
                else
                    let ((var, lo), hi) = r.Result
                    let s = stream.UserState
                    Reply(Comprehension(first.Result, var, lo, hi, s.Source.Range(start, s.LastTokenEnd)))
            else
                let more =
                    if peekOperator stream = "," then
                        consumeToken stream 1
                        commaSeparated expr "]" "',' or ']'" stream
                    else
                        let c = closeBracket "]" "',', 'for' or ']'" stream
                        if c.Status = Ok then Reply([]) else fail c

                if more.Status <> Ok then
                    fail more
                else
                    let s = stream.UserState
                    Reply(Vector(first.Result :: more.Result, s.Source.Range(start, s.LastTokenEnd)))

/// True when the word at the current position is followed by `(` on the same line.
let private calledHere (stream: CharStream<ParseState>) (word: string) =
    let s = stream.UserState
    let text = s.Source.Text
    let wordStop = indexOf stream + word.Length
    let struct (next, _) = scanTrivia text wordStop
    next < text.Length && text[next] = '(' && s.Source.LineOf(wordStop - 1) = s.Source.LineOf next

let private closeParenthesis = closeBracket ")" "')'"

/// `( e )`: the parentheses make no node of their own.
let private parenthesized (stream: CharStream<ParseState>) : Reply<Expr> =
    openBracket "(" stream |> ignore
    let inner = expr stream

    if inner.Status <> Ok then
        inner
    else
        let c = closeParenthesis stream
        if c.Status = Ok then inner else fail c

/// Numbers, `true`/`false`, names, parenthesised expressions, vectors and comprehensions.
let private primary: P<Expr> =
    fun stream ->
        let s = stream.UserState
        let text = s.Source.Text
        let start = indexOf stream

        if startsNumber text start then
            number stream
        else
            match peekWord stream with
            | "true" ->
                consumeToken stream 4
                Reply(BoolLit(true, s.Source.Range(start, start + 4)))
            | "false" ->
                consumeToken stream 5
                Reply(BoolLit(false, s.Source.Range(start, start + 5)))
            | "if" ->
                Diagnostic.error
                    DiagnosticCatalogue.UnexpectedInput
                    (s.Source.Range(start, start + 2))
                    "an 'if' expression used as an operand must be in parentheses"
                |> Diagnostic.withHint "write (if c then a else b)"
                |> addDiagnostic stream

                ifExpr stream
            | "_" ->
                consumeToken stream 1
                let range = s.Source.Range(start, start + 1)

                Diagnostic.error
                    DiagnosticCatalogue.UnexpectedInput
                    range
                    "'_' is only allowed as an index item, where it inserts a new axis"
                |> addDiagnostic stream

                Reply(ErrorExpr range)
            | "" ->
                match peekOperator stream with
                | "(" -> parenthesized stream
                | "[" -> vectorOrComprehension stream
                | _ -> Reply(Error, expected "an expression")
            | word when typeKeywords.Contains word && calledHere stream word ->
                // `real(z)`: a type name called as a conversion function.
                consumeToken stream word.Length
                Reply(
                    Var
                        { Name = word
                          Range = s.Source.Range(start, start + word.Length) }
                )
            | word when keywords.Contains word -> Reply(Error, expected "an expression")
            | word ->
                consumeToken stream word.Length
                Reply(
                    Var
                        { Name = word
                          Range = s.Source.Range(start, start + word.Length) }
                )

let private prefixOperators = [ "-", Neg; "!", Not ]

/// `e ^ u` with `u` a unary expression, so `2 ^ -1` is allowed and `^` associates to the right.
let private power: P<Expr> =
    let operand = postfix primary

    fun stream ->
        let start = indexOf stream
        let left = operand stream

        if left.Status <> Ok then
            left
        else
            match peekOperator stream with
            | "^"
            | "**" as spelling ->
                consumeToken stream spelling.Length
                let right = nested unaryForward stream

                if right.Status <> Ok then
                    right
                else
                    let s = stream.UserState
                    Reply(Binary(Pow, left.Result, right.Result, s.Source.Range(start, s.LastTokenEnd)))
            | _ -> left

// `-e`, `!e`, or a power expression.
unaryRef.Value <-
    fun stream ->
        let start = indexOf stream
        let spelling = peekOperator stream

        match prefixOperators |> List.tryFind (fun (s, _) -> s = spelling) with
        | Some(s, op) ->
            consumeToken stream s.Length
            let operand = nested unaryForward stream

            if operand.Status <> Ok then
                operand
            else
                let st = stream.UserState
                Reply(Unary(op, operand.Result, st.Source.Range(start, st.LastTokenEnd)))
        | None -> power stream

let private anExpression = expected "an expression"

// One function rather than a chain of combinators: every frame here is paid once per nesting level.
exprRef.Value <-
    fun stream ->
        let counter = stream.UserState.Nesting

        if counter.Depth >= MaxNesting then
            tooDeep stream
        else
            counter.Depth <- counter.Depth + 1

            try
                let tag = stream.StateTag
                let r = if peekWord stream = "if" then ifExpr stream else binary unaryForward OrLevel stream

                if r.Status = Ok then
                    // Drop what the expression could have continued with ("'+', '*', ...") so that it
                    // does not clutter the message of whatever fails next.
                    Reply(r.Result)
                elif r.Status = Error && stream.StateTag = tag then
                    Reply(Error, anExpression)
                else
                    r
            finally
                counter.Depth <- counter.Depth - 1
