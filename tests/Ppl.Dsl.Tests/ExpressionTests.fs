module Ppl.Dsl.Tests.ExpressionTests

open Xunit
open Ppl.Dsl
open Ppl.Dsl.Tests.SyntaxBuilders

let private a, b, c, x = var "a", var "b", var "c", var "x"

[<Fact>]
let ``additive and multiplicative operators associate to the left`` () =
    Assert.Equal(bin Sub (bin Sub a b) c, parseClean "a - b - c")
    Assert.Equal(bin Div (bin Mul a b) c, parseClean "a * b / c")
    Assert.Equal(bin MatMul (bin Mod a b) c, parseClean "a % b @ c")

[<Fact>]
let ``multiplication binds tighter than addition, and both tighter than comparison`` () =
    Assert.Equal(bin Add a (bin Mul b c), parseClean "a + b * c")
    Assert.Equal(bin Lt (bin Add a b) c, parseClean "a + b < c")
    Assert.Equal(bin Mul (bin Add a b) c, parseClean "(a + b) * c")

[<Fact>]
let ``and binds tighter than or, comparison tighter than and`` () =
    Assert.Equal(bin Or a (bin And b c), parseClean "a || b && c")
    Assert.Equal(bin And (bin Eq a b) (bin Ne b c), parseClean "a == b && b != c")
    Assert.Equal(bin Or (bin Or a b) c, parseClean "a || b || c")

[<Fact>]
let ``power is right-associative and binds tighter than prefix minus`` () =
    Assert.Equal(bin Pow a (bin Pow b c), parseClean "a ^ b ^ c")
    Assert.Equal(neg (bin Pow x (num "2")), parseClean "-x^2")
    Assert.Equal(bin Pow (neg x) (num "2"), parseClean "(-x)^2")
    Assert.Equal(bin Pow (num "2") (neg (num "1")), parseClean "2 ^ -1")

[<Fact>]
let ``double star is a synonym for the power operator`` () =
    Assert.Equal(parseClean "a ^ b ^ c", parseClean "a ** b ** c")
    Assert.Equal(bin Mul a (bin Pow b c), parseClean "a * b ** c")

[<Fact>]
let ``prefix operators bind tighter than binary ones and nest`` () =
    Assert.Equal(bin Mul a (neg b), parseClean "a * -b")
    Assert.Equal(bin Sub a (neg b), parseClean "a - -b")
    Assert.Equal(bin Eq (not' a) b, parseClean "!a == b")
    Assert.Equal(neg (neg x), parseClean "--x")

[<Fact>]
let ``a minus sign before a number literal is a prefix operator node`` () =
    Assert.Equal(neg (num "3"), parseClean "-3")
    Assert.Equal(vector [ neg (num "0.125"); num "2" ], parseClean "[-0.125, 2]")

[<Fact>]
let ``if extends as far right as possible`` () =
    Assert.Equal(ifThen c a (bin Add b (num "1")), parseClean "if c then a else b + 1")
    Assert.Equal(ifThen a b (ifThen c x (num "0")), parseClean "if a then b else if c then x else 0")

[<Fact>]
let ``comparisons do not chain`` () =
    let _, diagnostics = Parser.parseExpression "e" "a < b < c"
    let d = Assert.Single diagnostics
    Assert.Equal("PPL0001", d.Code)
    Assert.Contains("&&", Option.get d.Hint)
    // With parentheses the intent is explicit and accepted.
    Assert.Equal(bin Lt (bin Lt a b) c, parseClean "(a < b) < c")

[<Fact>]
let ``postfix operators apply left to right`` () =
    Assert.Equal(field (index (call "f" [ pos x ]) [ Single(num "0") ]) "y", parseClean "f(x)[0].y")
    Assert.Equal(index (index x [ Single a ]) [ Single b ], parseClean "x[a][b]")

[<Fact>]
let ``named arguments follow positional ones`` () =
    Assert.Equal(
        call "TruncatedNormal" [ pos a; pos b; named "lower" (num "0"); named "upper" c ],
        parseClean "TruncatedNormal(a, b, lower = 0, upper = c)"
    )

    Assert.Equal(call "f" [ pos (bin Eq a b) ], parseClean "f(a == b)")
    Assert.Equal(call "g" [], parseClean "g()")
    Assert.Contains("PPL0009", codesOf "model M\nlet y = f(lower = 0, a)")

[<Fact>]
let ``index items cover singles, every slice form, ellipsis and new axis`` () =
    let one, two, three = num "1", num "2", num "3"

    let expected =
        index
            x
            [ Single one
              slice (Some one) (Some two) None
              slice (Some one) None None
              slice None (Some two) None
              slice None None None
              slice (Some one) (Some two) (Some three)
              slice None None (Some three)
              Ellipsis none
              NewAxis none ]

    Assert.Equal(expected, parseClean "x[1, 1:2, 1:, :2, :, 1:2:3, ::3, ..., _]")

[<Fact>]
let ``vector literals nest into matrices and comprehensions stack bodies`` () =
    Assert.Equal(vector [ vector [ num "1"; num "0" ]; vector [ num "0"; num "1" ] ], parseClean "[[1, 0], [0, 1]]")

    Assert.Equal(
        Comprehension(bin Mul (var "i") (var "i"), id "i", num "0", var "N", none),
        parseClean "[i * i for i in 0:N]"
    )

[<Fact>]
let ``type names can be called as conversions but are not values`` () =
    Assert.Equal(call "real" [ pos x ], parseClean "real(x)")
    Assert.Equal(field x "real", parseClean "x.real")
    let result, diagnostics = Parser.parseExpression "e" "real + 1"
    Assert.True(result.IsNone)
    Assert.Equal("PPL0001", (List.head diagnostics).Code)

[<Fact>]
let ``a call or index must start on the line where the expression before it ends`` () =
    // On the same line, or continued across lines inside the brackets: a call and an index.
    Assert.Equal(call "f" [ pos a; pos b ], parseClean "f(a,\n  b)")
    Assert.Equal(index x [ Single(num "0") ], parseClean "x[\n0]")
    // On a new line, `(` and `[` begin something new.
    Assert.Equal<string list>([ "PPL0008" ], codesOf "model M\nlet y = f\n(a)")
    Assert.Equal<string list>([ "PPL0008" ], codesOf "model M\ndata v: real[3]\nlet y = v\n[0]")
    Assert.Equal<string list>([ "PPL0008" ], codesOf "model M\ndata v: real\n[3]")
    // Other operators may continue an expression on the next line.
    Assert.Equal(bin Add a (field b "c"), parseClean "a\n+ b\n.c")

[<Fact>]
let ``comments and whitespace are insignificant between tokens`` () =
    Assert.Equal(bin Add a b, parseClean "/* lead */ a /* mid */ + // to the end of the line\n b // trail")

[<Fact>]
let ``parseExpression reads one expression filling the whole text`` () =
    Assert.Equal(vector [ num "0.1"; num "0.2" ], parseClean "[0.1, 0.2]")
    let trailing, d1 = Parser.parseExpression "--set" "1 2"
    Assert.True(trailing.IsNone)
    Assert.Equal("expected the end of the expression, found '2'", (List.exactlyOne d1).Message)
    let empty, d2 = Parser.parseExpression "--set" "  "
    Assert.True(empty.IsNone)
    Assert.Equal("expected an expression, found end of input", (List.exactlyOne d2).Message)
    let unclosed, d3 = Parser.parseExpression "--set" "[0.1, 0.2"
    Assert.True(unclosed.IsNone)
    Assert.Equal("PPL0006", (List.exactlyOne d3).Code)
