module Ppl.Dsl.Tests.PrinterTests

open System
open Xunit
open Ppl.Dsl
open Ppl.Dsl.Tests.SyntaxBuilders

let private a, b, c = var "a", var "b", var "c"

[<Fact>]
let ``parentheses appear only where the tree needs them`` () =
    Assert.Equal("a - b - c", SyntaxPrinter.printExpr (bin Sub (bin Sub a b) c))
    Assert.Equal("a - (b - c)", SyntaxPrinter.printExpr (bin Sub a (bin Sub b c)))
    Assert.Equal("(a + b) * c", SyntaxPrinter.printExpr (bin Mul (bin Add a b) c))
    Assert.Equal("a ^ b ^ c", SyntaxPrinter.printExpr (bin Pow a (bin Pow b c)))
    Assert.Equal("(a ^ b) ^ c", SyntaxPrinter.printExpr (bin Pow (bin Pow a b) c))
    Assert.Equal("-a ^ 2", SyntaxPrinter.printExpr (neg (bin Pow a (num "2"))))
    Assert.Equal("(-a) ^ 2", SyntaxPrinter.printExpr (bin Pow (neg a) (num "2")))
    Assert.Equal("a ^ -1", SyntaxPrinter.printExpr (bin Pow a (neg (num "1"))))
    Assert.Equal("(a < b) == c", SyntaxPrinter.printExpr (bin Eq (bin Lt a b) c))
    Assert.Equal("a || b && c", SyntaxPrinter.printExpr (bin Or a (bin And b c)))
    Assert.Equal("(a || b) && c", SyntaxPrinter.printExpr (bin And (bin Or a b) c))
    Assert.Equal("!(a && b)", SyntaxPrinter.printExpr (not' (bin And a b)))
    Assert.Equal("-(-a)", SyntaxPrinter.printExpr (neg (neg a)))
    Assert.Equal("1 + (if a then b else c)", SyntaxPrinter.printExpr (bin Add (num "1") (ifThen a b c)))
    Assert.Equal("if a then b else if c then 1 else 2", SyntaxPrinter.printExpr (ifThen a b (ifThen c (num "1") (num "2"))))
    Assert.Equal("(a + b)[0]", SyntaxPrinter.printExpr (index (bin Add a b) [ Single(num "0") ]))
    Assert.Equal("(2).x", SyntaxPrinter.printExpr (field (num "2") "x"))

[<Fact>]
let ``calls, slices and literals use the canonical spacing`` () =
    Assert.Equal("f(a, b, lower = c)", SyntaxPrinter.printExpr (call "f" [ pos a; pos b; named "lower" c ]))

    let items =
        [ slice (Some a) (Some b) None
          slice None None None
          slice None None (Some(num "2"))
          Ellipsis none
          NewAxis none ]

    Assert.Equal("x[a:b, :, ::2, ..., _]", SyntaxPrinter.printExpr (index (var "x") items))
    Assert.Equal("[[1, 2], [3, 4.0]]", SyntaxPrinter.printExpr (vector [ vector [ num "1"; num "2" ]; vector [ num "3"; num "4.0" ] ]))
    Assert.Equal("[i for i in 0:N]", SyntaxPrinter.printExpr (Comprehension(var "i", id "i", num "0", var "N", none)))
    // Numbers keep their spelling.
    Assert.Equal("2.5E+4", SyntaxPrinter.printExpr (num "2.5E+4"))

// ---------------------------------------------------------------------------------------------
// Random trees: print, parse back, compare. A wrong parenthesisation shows up as a different tree.
// ---------------------------------------------------------------------------------------------

let private names = [| "a"; "b"; "x1"; "theta"; "_w"; "N" |]
let private callees = [| "f"; "Normal"; "real"; "int" |]
let private fields = [| "n_gal"; "values"; "real" |]
let private spellings = [| "0"; "12"; "1.5"; "1e-3"; "2.5E+4"; "007" |]

let private binaryOps = [| Add; Sub; Mul; Div; Mod; Pow; MatMul; Eq; Ne; Lt; Le; Gt; Ge; And; Or |]

let rec private randomExpr (rng: Random) (depth: int) : Expr =
    let pick (xs: 'a[]) = xs[rng.Next xs.Length]
    let sub () = randomExpr rng (depth - 1)

    if depth <= 0 || rng.Next 5 = 0 then
        match rng.Next 3 with
        | 0 -> num (pick spellings)
        | 1 -> BoolLit(rng.Next 2 = 0, none)
        | _ -> var (pick names)
    else
        match rng.Next 11 with
        | 0 -> Unary((if rng.Next 2 = 0 then Neg else Not), sub (), none)
        | 1
        | 2
        | 3 -> bin (pick binaryOps) (sub ()) (sub ())
        | 4 ->
            let positional = List.init (rng.Next 3) (fun _ -> pos (sub ()))
            let namedArgs = List.init (rng.Next 2) (fun i -> named (sprintf "k%d" i) (sub ()))
            call (pick callees) (positional @ namedArgs)
        | 5 ->
            let item () =
                match rng.Next 5 with
                | 0 -> Single(sub ())
                | 1 -> Ellipsis none
                | 2 -> NewAxis none
                | _ ->
                    let part () = if rng.Next 2 = 0 then Some(sub ()) else None
                    slice (part ()) (part ()) (part ())

            index (sub ()) (List.init (1 + rng.Next 3) (fun _ -> item ()))
        | 6 -> field (sub ()) (pick fields)
        | 7 -> vector (List.init (1 + rng.Next 3) (fun _ -> sub ()))
        | 8 -> Comprehension(sub (), id "i", sub (), sub (), none)
        | _ -> ifThen (sub ()) (sub ()) (sub ())

[<Fact>]
let ``printing random trees and parsing them back gives the same trees`` () =
    let rng = Random(20240611)

    for _ in 1..1500 do
        let tree = randomExpr rng 5
        let printed = SyntaxPrinter.printExpr tree

        match Parser.parseExpression "printed" printed with
        | Some parsed, [] ->
            let parsed = StripRanges.expr parsed
            if parsed <> tree then failwithf "round trip changed the tree of\n  %s\ninto\n  %s" printed (SyntaxPrinter.printExpr parsed)
            Assert.Equal(printed, SyntaxPrinter.printExpr parsed)
        | _, diagnostics ->
            let rendered = diagnostics |> List.map (Diagnostic.render (Some printed)) |> String.concat ""
            failwithf "printed tree does not parse:\n%s\n%s" printed rendered
