module Ppl.Dsl.Tests.NumberTests

open Xunit
open Ppl.Dsl

let private literal (text: string) =
    match Parser.parseExpression "n" text with
    | Some(Number(value, isInt, spelling, _)), [] -> value, isInt, spelling
    | other -> failwithf "'%s' is not a clean number literal: %A" text other

[<Theory>]
[<InlineData("12", 12.0, true)>]
[<InlineData("007", 7.0, true)>]
[<InlineData("1.5", 1.5, false)>]
[<InlineData("1e-3", 0.001, false)>]
[<InlineData("2.5E+4", 25000.0, false)>]
[<InlineData("3e2", 300.0, false)>]
let ``number literals keep their value, kind and spelling`` (text: string, value: double, isInt: bool) =
    let v, i, spelling = literal text
    // The values are exactly representable or the nearest double to the decimal; parsing is exact.
    Assert.Equal(value, v)
    Assert.Equal(isInt, i)
    Assert.Equal(text, spelling)

[<Theory>]
[<InlineData("1.2.3", "a number has at most one '.'")>]
[<InlineData("1e", "an exponent needs digits, as in 1e-3")>]
[<InlineData(".5", "write 0.5")>]
[<InlineData("1.", "write 1.0")>]
[<InlineData("2N", "write 2 * N to multiply")>]
let ``malformed number literals are reported with a hint`` (text: string, hint: string) =
    let result, diagnostics = Parser.parseExpression "n" text
    let d = Assert.Single diagnostics
    Assert.Equal("PPL0003", d.Code)
    Assert.Equal(Some hint, d.Hint)
    Assert.Equal(1, d.Range.Start.Column)
    Assert.Equal(1 + text.Length, d.Range.End.Column)
    // The literal is replaced by a placeholder rather than dropped.
    Assert.True(
        match result with
        | Some(ErrorExpr _) -> true
        | _ -> false
    )

[<Fact>]
let ``a literal too large for a double is reported`` () =
    let _, diagnostics = Parser.parseExpression "n" "1e999"
    Assert.Equal("PPL0003", (Assert.Single diagnostics).Code)

[<Fact>]
let ``an integer literal beyond int64 is reported, the largest int and the same digits as a real are not`` () =
    let _, diagnostics = Parser.parseExpression "n" "9223372036854775808"
    let d = Assert.Single diagnostics
    Assert.Equal("PPL0003", d.Code)
    Assert.Contains("too large for an int", d.Message)
    let _, ok = Parser.parseExpression "n" "9223372036854775807"
    Assert.Empty ok
    let _, real = Parser.parseExpression "n" "9223372036854775808.0"
    Assert.Empty real
