module Ppl.Dsl.Tests.RangeTests

open Xunit
open Ppl.Dsl

/// (start line, start column, end line, end column), end exclusive.
let private span (r: SourceRange) = r.Start.Line, r.Start.Column, r.End.Line, r.End.Column

let private parseOne (text: string) =
    match Parser.parseModel "r.ppl" text with
    | Some m, [] -> m
    | _, ds -> failwithf "did not parse cleanly: %A" ds

//                      1         2
//             123456789012345678901234567890
let private line2 = "let x = (a + b) * c[1:2, :]  // note"

[<Fact>]
let ``ranges run from the first token to the end of the last, parentheses included`` () =
    let m = parseOne ("model M\n" + line2 + "\n")

    match m.Decls with
    | [ Let(name, None, (Binary(Mul, (Binary(Add, _, _, addRange)), (Index(c, items, indexRange)), mulRange)), declRange) ] ->
        Assert.Equal((2, 5, 2, 6), span name.Range)
        Assert.Equal((2, 1, 2, 28), span declRange)
        Assert.Equal((2, 9, 2, 28), span mulRange)
        Assert.Equal((2, 10, 2, 15), span addRange)
        Assert.Equal((2, 19, 2, 28), span indexRange)
        Assert.Equal((2, 19, 2, 20), span (Syntax.exprRange c))

        match items with
        | [ Slice(Some one, Some _, None, first); Slice(None, None, None, colon) ] ->
            Assert.Equal((2, 21, 2, 24), span first)
            Assert.Equal((2, 21, 2, 22), span (Syntax.exprRange one))
            // A lone `:` covers just the colon.
            Assert.Equal((2, 26, 2, 27), span colon)
        | other -> failwithf "unexpected items %A" other
    | other -> failwithf "unexpected declarations %A" other

    Assert.Equal((1, 1, 2, 28), span m.Range)

[<Fact>]
let ``ranges span lines and exclude trailing trivia`` () =
    let m = parseOne "model M\nlet y = f(a,\n  b) /* trailing */\nlet z = -x ^ 2\n"

    match m.Decls with
    | [ Let(_, _, (Call(callee, _, callRange)), yRange); Let(_, _, (Unary(Neg, (Binary(Pow, _, _, powRange)), negRange)), _) ] ->
        Assert.Equal((2, 9, 3, 5), span callRange)
        Assert.Equal((2, 9, 2, 10), span callee.Range)
        Assert.Equal((2, 1, 3, 5), span yRange)
        Assert.Equal((4, 9, 4, 15), span negRange)
        Assert.Equal((4, 10, 4, 15), span powRange)
    | other -> failwithf "unexpected declarations %A" other

[<Fact>]
let ``types, parameters, block bodies and comprehensions carry exact ranges`` () =
    let text =
        "model M\n"
        + "data d: real[3, N] = [k for k in 0:3]\n"
        + "fun f(u: real[2], v: int) -> real {\n"
        + "    let w: real = u[0]\n"
        + "    return w\n"
        + "}\n"

    let m = parseOne text

    match m.Decls with
    | [ Data(_, t, Some(Comprehension(_, k, _, _, compRange)), dataRange); Fun(_, [ u; v ], ret, body, funRange) ] ->
        Assert.Equal((2, 9, 2, 19), span t.Range)
        Assert.Equal((2, 22, 2, 38), span compRange)
        Assert.Equal((2, 29, 2, 30), span k.Range)
        Assert.Equal((2, 1, 2, 38), span dataRange)
        Assert.Equal((3, 7, 3, 17), span u.Range)
        Assert.Equal((3, 19, 3, 25), span v.Range)
        Assert.Equal((3, 30, 3, 34), span ret.Range)
        Assert.Equal((3, 35, 6, 2), span body.Range)
        Assert.Equal((4, 5, 4, 23), span (List.exactlyOne body.Lets).Range)
        Assert.Equal((5, 12, 5, 13), span (Syntax.exprRange body.Result))
        Assert.Equal((3, 1, 6, 2), span funRange)
    | other -> failwithf "unexpected declarations %A" other

[<Fact>]
let ``a malformed value keeps its declaration with a placeholder over the skipped text`` () =
    let text = "model M\nparam mu ~ Normal(0, 1\nlet y = mu\n"
    let m, diagnostics = Parser.parseModel "r.ppl" text
    Assert.Equal("PPL0006", (List.exactlyOne diagnostics).Code)

    match (Option.get m).Decls with
    | [ Param(_, _, ErrorExpr placeholder, paramRange); Let _ ] ->
        Assert.Equal((2, 12, 2, 23), span placeholder)
        Assert.Equal((2, 1, 2, 23), span paramRange)
    | other -> failwithf "unexpected declarations %A" other

[<Fact>]
let ``an error at the end of the text points just after the last token`` () =
    let _, diagnostics = Parser.parseModel "r.ppl" "model M\nlet x = \n\n"
    let d = List.exactlyOne diagnostics
    Assert.Equal("expected an expression, found end of input", d.Message)
    Assert.Equal((2, 8, 2, 8), span d.Range)

[<Fact>]
let ``Windows line ends give the same trees and positions as Unix ones`` () =
    let unix = Golden.readText (Golden.pathOf "good/LognormalLensing" ".ppl")
    let windows = unix.Replace("\n", "\r\n")
    let fromUnix = parseOne unix
    let fromWindows = parseOne windows
    // Same lines and columns everywhere: the '\r' only ever sits at the end of a line.
    Assert.Equal(fromUnix, fromWindows)
    let _, d1 = Parser.parseModel "r.ppl" "model M\nlet x = (1\nlet y = 2\n"
    let _, d2 = Parser.parseModel "r.ppl" "model M\r\nlet x = (1\r\nlet y = 2\r\n"
    Assert.Equal<Diagnostic list>(d1, d2)

[<Fact>]
let ``a block body may sit on one line and a value may continue on the next`` () =
    let m = parseOne "model M\nfun f(x: real) -> real { let y = 2 * x return y + 1 }\nlet z = f(1)\n    + 2\n"

    match m.Decls with
    | [ Fun(_, _, _, body, funRange); Let(_, _, Binary(Add, _, _, _), zRange) ] ->
        Assert.Equal(1, body.Lets.Length)
        Assert.Equal((2, 1, 2, 54), span funRange)
        Assert.Equal((3, 1, 4, 8), span zRange)
    | other -> failwithf "unexpected declarations %A" other
