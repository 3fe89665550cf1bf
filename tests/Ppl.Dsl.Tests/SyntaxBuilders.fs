/// Range-free syntax trees for writing expected results by hand.
module Ppl.Dsl.Tests.SyntaxBuilders

open System
open System.Globalization
open Ppl.Dsl

let none = StripRanges.none
let id name : Ident = { Name = name; Range = none }
let var name = Var(id name)

let num (text: string) =
    let isInt = text |> Seq.forall Char.IsDigit
    Number(Double.Parse(text, CultureInfo.InvariantCulture), isInt, text, none)

let bin op a b = Binary(op, a, b, none)
let neg a = Unary(Neg, a, none)
let not' a = Unary(Not, a, none)
let call name args = Call(id name, args, none)
let pos e = Positional e
let named n e = Named(id n, e)
let index target items = Index(target, items, none)
let field target name = Field(target, id name, none)
let vector items = Vector(items, none)
let ifThen c a b = If(c, a, b, none)
let slice a b c = Slice(a, b, c, none)

/// Parses one expression and strips its ranges; fails the test on any diagnostic.
let parseClean (text: string) =
    match Parser.parseExpression "expr" text with
    | Some e, [] -> StripRanges.expr e
    | _, diagnostics ->
        let rendered = diagnostics |> List.map (Diagnostic.render (Some text)) |> String.concat ""
        failwithf "'%s' did not parse cleanly:\n%s" text rendered

/// The codes reported for a model text.
let codesOf (text: string) =
    let _, diagnostics = Parser.parseModel "m.ppl" text
    diagnostics |> List.map (fun d -> d.Code)
