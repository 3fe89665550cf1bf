module Ppl.Dsl.Tests.SmokeTests

open Xunit
open Ppl.Dsl

[<Fact>]
let ``union of ranges covers both`` () =
    let a = SourceRange.make "m.ppl" (1, 3) (1, 5)
    let b = SourceRange.make "m.ppl" (2, 1) (2, 4)
    let u = SourceRange.union a b
    Assert.Equal(1, u.Start.Line)
    Assert.Equal(3, u.Start.Column)
    Assert.Equal(2, u.End.Line)
