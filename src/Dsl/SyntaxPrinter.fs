/// Canonical, deterministic formatting of syntax trees: one declaration per line, four-space
/// indentation in block bodies, spaces around binary operators, `f(a, b, lower = c)`, numbers in
/// their source spelling, and the fewest parentheses that keep the tree. Parsing the output gives
/// the same tree (ranges aside), and printing that tree again gives the same text.
module Ppl.Dsl.SyntaxPrinter

open System.Text

// Binding strength, loosest first; a child printed where a stronger one is required gets parentheses.
[<Literal>]
let private IfLevel = 1

[<Literal>]
let private OrLevel = 2

[<Literal>]
let private AndLevel = 3

[<Literal>]
let private ComparisonLevel = 4

[<Literal>]
let private AdditiveLevel = 5

[<Literal>]
let private MultiplicativeLevel = 6

[<Literal>]
let private PrefixLevel = 7

[<Literal>]
let private PowerLevel = 8

[<Literal>]
let private PostfixLevel = 9

[<Literal>]
let private AtomLevel = 10

let private operatorText op =
    match op with
    | Add -> "+"
    | Sub -> "-"
    | Mul -> "*"
    | Div -> "/"
    | Mod -> "%"
    | Pow -> "^"
    | MatMul -> "@"
    | Eq -> "=="
    | Ne -> "!="
    | Lt -> "<"
    | Le -> "<="
    | Gt -> ">"
    | Ge -> ">="
    | And -> "&&"
    | Or -> "||"

let private operatorLevel op =
    match op with
    | Or -> OrLevel
    | And -> AndLevel
    | Eq
    | Ne
    | Lt
    | Le
    | Gt
    | Ge -> ComparisonLevel
    | Add
    | Sub -> AdditiveLevel
    | Mul
    | Div
    | Mod
    | MatMul -> MultiplicativeLevel
    | Pow -> PowerLevel

let private level (e: Expr) =
    match e with
    | If _ -> IfLevel
    | Binary(op, _, _, _) -> operatorLevel op
    | Unary _ -> PrefixLevel
    | Call _
    | Index _
    | Field _ -> PostfixLevel
    | Number _
    | BoolLit _
    | Var _
    | Vector _
    | Comprehension _
    | ErrorExpr _ -> AtomLevel

/// Levels the two operands of a binary operator must reach: comparisons do not chain, `^` takes a
/// postfix expression on its left and a prefix one on its right, the rest associate to the left.
let private operandLevels op =
    let l = operatorLevel op

    match op with
    | Pow -> PostfixLevel, PrefixLevel
    | Eq
    | Ne
    | Lt
    | Le
    | Gt
    | Ge -> l + 1, l + 1
    | _ -> l, l + 1

let rec private write (sb: StringBuilder) (required: int) (e: Expr) =
    if level e < required then
        sb.Append '(' |> ignore
        write sb 0 e
        sb.Append ')' |> ignore
    else
        match e with
        | Number(_, _, text, _) -> sb.Append text |> ignore
        | BoolLit(v, _) -> sb.Append(if v then "true" else "false") |> ignore
        | Var id -> sb.Append id.Name |> ignore
        | Unary(op, operand, _) ->
            sb.Append(if op = Neg then "-" else "!") |> ignore

            match operand with
            // `-(-x)` reads better than `--x` and parses the same.
            | Unary _ -> write sb AtomLevel operand
            | _ -> write sb PrefixLevel operand
        | Binary(op, left, right, _) ->
            let leftLevel, rightLevel = operandLevels op
            write sb leftLevel left
            sb.Append(' ').Append(operatorText op).Append(' ') |> ignore
            write sb rightLevel right
        | Call(callee, args, _) ->
            sb.Append(callee.Name).Append('(') |> ignore

            args
            |> List.iteri (fun i a ->
                if i > 0 then
                    sb.Append ", " |> ignore

                match a with
                | Positional v -> write sb 0 v
                | Named(n, v) ->
                    sb.Append(n.Name).Append(" = ") |> ignore
                    write sb 0 v)

            sb.Append ')' |> ignore
        | Index(target, items, _) ->
            write sb PostfixLevel target
            sb.Append '[' |> ignore

            items
            |> List.iteri (fun i item ->
                if i > 0 then
                    sb.Append ", " |> ignore
                writeIndexItem sb item)

            sb.Append ']' |> ignore
        | Field(target, n, _) ->
            match target with
            // `2.x` would read as a malformed number.
            | Number _ -> write sb (AtomLevel + 1) target
            | _ -> write sb PostfixLevel target

            sb.Append('.').Append(n.Name) |> ignore
        | Vector(items, _) ->
            sb.Append '[' |> ignore
            writeList sb items
            sb.Append ']' |> ignore
        | Comprehension(body, var, lo, hi, _) ->
            sb.Append '[' |> ignore
            write sb 0 body
            sb.Append(" for ").Append(var.Name).Append(" in ") |> ignore
            write sb 0 lo
            sb.Append ':' |> ignore
            write sb 0 hi
            sb.Append ']' |> ignore
        | If(c, a, b, _) ->
            sb.Append "if " |> ignore
            write sb (IfLevel + 1) c
            sb.Append " then " |> ignore
            write sb (IfLevel + 1) a
            sb.Append " else " |> ignore
            // Else-branches chain without parentheses: `if a then x else if b then y else z`.
            write sb 0 b
        | ErrorExpr _ -> sb.Append "<error>" |> ignore

and private writeList (sb: StringBuilder) (items: Expr list) =
    items
    |> List.iteri (fun i item ->
        if i > 0 then
            sb.Append ", " |> ignore
        write sb 0 item)

and private writeIndexItem (sb: StringBuilder) (item: IndexItem) =
    match item with
    | Single v -> write sb 0 v
    | Ellipsis _ -> sb.Append "..." |> ignore
    | NewAxis _ -> sb.Append '_' |> ignore
    | Slice(start, stop, step, _) ->
        start |> Option.iter (write sb 0)
        sb.Append ':' |> ignore
        stop |> Option.iter (write sb 0)

        match step with
        | Some s ->
            sb.Append ':' |> ignore
            write sb 0 s
        | None -> ()

/// The canonical text of an expression.
let printExpr (e: Expr) : string =
    let sb = StringBuilder()
    write sb 0 e
    sb.ToString()

let private writeType (sb: StringBuilder) (t: TypeExpr) =
    sb.Append(
        match t.Elem with
        | Real -> "real"
        | Int -> "int"
        | Bool -> "bool"
        | Complex -> "complex"
    )
    |> ignore

    if not t.Dims.IsEmpty then
        sb.Append '[' |> ignore
        writeList sb t.Dims
        sb.Append ']' |> ignore

let private writeAnnotation (sb: StringBuilder) (t: TypeExpr option) =
    match t with
    | Some t ->
        sb.Append ": " |> ignore
        writeType sb t
    | None -> ()

let rec private writeDecl (sb: StringBuilder) (d: Decl) =
    let head (keyword: string) (n: Ident) = sb.Append(keyword).Append(' ').Append(n.Name) |> ignore

    let tail (symbol: string) (e: Expr) =
        sb.Append(' ').Append(symbol).Append(' ') |> ignore
        write sb 0 e

    match d with
    | Data(n, t, value, _) ->
        head "data" n
        writeAnnotation sb (Some t)
        value |> Option.iter (tail "=")
    | Param(n, t, prior, _) ->
        head "param" n
        writeAnnotation sb t
        tail "~" prior
    | Latent(n, t, prior, _) ->
        head "latent" n
        writeAnnotation sb t
        tail "~" prior
    | Observe(n, t, rhs, _) ->
        head "observe" n
        writeAnnotation sb t

        match rhs with
        | Distributed e -> tail "~" e
        | Exact e -> tail "=" e
    | ObservePart(target, d, _) ->
        sb.Append("observe ") |> ignore
        write sb 0 target
        tail "~" d
    | Let(n, t, value, _) ->
        head "let" n
        writeAnnotation sb t
        tail "=" value
    | Factor(value, _) ->
        sb.Append("factor ") |> ignore
        write sb 0 value
    | Loop(var, lo, hi, states, body, _) ->
        sb.Append("for ").Append(var.Name).Append(" in ") |> ignore
        write sb 0 lo
        sb.Append ':' |> ignore
        write sb 0 hi

        states
        |> List.iteri (fun i st ->
            sb.Append(if i = 0 then " with " else ", ").Append(st.Name.Name).Append(" = ") |> ignore
            write sb 0 st.Init)

        sb.Append " {\n" |> ignore

        for item in body do
            sb.Append "    " |> ignore
            writeDecl sb item
            sb.Append '\n' |> ignore

        sb.Append '}' |> ignore
    | Update(n, value, _) ->
        sb.Append(n.Name) |> ignore
        tail "=" value
    | Fun(n, ps, returns, body, _) ->
        head "fun" n
        sb.Append '(' |> ignore

        ps
        |> List.iteri (fun i p ->
            if i > 0 then
                sb.Append ", " |> ignore
            sb.Append(p.Name.Name).Append(": ") |> ignore
            writeType sb p.Type)

        sb.Append ") -> " |> ignore
        writeType sb returns

        if body.Lets.IsEmpty && body.Loops.IsEmpty then
            tail "=" body.Result
        else
            sb.Append " {\n" |> ignore

            let loopsBefore i =
                for (before, loop) in body.Loops do
                    if before = i then
                        let text = StringBuilder()
                        writeDecl text loop
                        sb.Append("    ").Append(text.ToString().Replace("\n", "\n    ")).Append('\n') |> ignore

            body.Lets
            |> List.iteri (fun i l ->
                loopsBefore i
                sb.Append("    let ").Append(l.Name.Name) |> ignore
                writeAnnotation sb l.Type
                tail "=" l.Value
                sb.Append '\n' |> ignore)

            loopsBefore body.Lets.Length

            sb.Append "    return " |> ignore
            write sb 0 body.Result
            sb.Append "\n}" |> ignore

/// The canonical text of one declaration (several lines for a function with a block body).
let printDecl (d: Decl) : string =
    let sb = StringBuilder()
    writeDecl sb d
    sb.ToString()

/// The canonical text of a model: the header, a blank line, then one declaration per line, with a
/// blank line after a run of `data` declarations and around each function.
let printModel (m: Model) : string =
    let sb = StringBuilder()
    sb.Append("model ").Append(m.Name.Name).Append('\n') |> ignore

    let isData d =
        match d with
        | Data _ -> true
        | _ -> false

    let isFun d =
        match d with
        | Fun _
        | Loop _ -> true
        | _ -> false

    let decls = Array.ofList m.Decls

    decls
    |> Array.iteri (fun i d ->
        let separated =
            i = 0
            || (let previous = decls[i - 1]
                (isData previous && not (isData d)) || isFun previous || isFun d)

        if separated then
            sb.Append '\n' |> ignore
        writeDecl sb d
        sb.Append '\n' |> ignore)

    sb.ToString()
