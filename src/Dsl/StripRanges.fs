/// Copies of syntax trees with every range replaced by one fixed value, so that trees can be
/// compared structurally regardless of where their text sat (`parse (print t)` against `t`).
module Ppl.Dsl.StripRanges

/// The range every stripped node carries.
let none: SourceRange = SourceRange.synthetic ""

/// The identifier with its range stripped.
let ident (i: Ident) : Ident = { i with Range = none }

/// The expression with every range in it stripped.
let rec expr (e: Expr) : Expr =
    match e with
    | Number(v, isInt, text, _) -> Number(v, isInt, text, none)
    | BoolLit(v, _) -> BoolLit(v, none)
    | Var i -> Var(ident i)
    | Unary(op, a, _) -> Unary(op, expr a, none)
    | Binary(op, a, b, _) -> Binary(op, expr a, expr b, none)
    | Call(f, args, _) -> Call(ident f, List.map arg args, none)
    | Index(t, items, _) -> Index(expr t, List.map indexItem items, none)
    | Field(t, n, _) -> Field(expr t, ident n, none)
    | Vector(items, _) -> Vector(List.map expr items, none)
    | Comprehension(body, v, lo, hi, _) -> Comprehension(expr body, ident v, expr lo, expr hi, none)
    | If(c, a, b, _) -> If(expr c, expr a, expr b, none)
    | ErrorExpr _ -> ErrorExpr none

/// The call argument with every range in it stripped.
and arg (a: Arg) : Arg =
    match a with
    | Positional v -> Positional(expr v)
    | Named(n, v) -> Named(ident n, expr v)

/// The index item with every range in it stripped.
and indexItem (item: IndexItem) : IndexItem =
    match item with
    | Single v -> Single(expr v)
    | Slice(a, b, c, _) -> Slice(Option.map expr a, Option.map expr b, Option.map expr c, none)
    | Ellipsis _ -> Ellipsis none
    | NewAxis _ -> NewAxis none

/// The type with every range in it stripped.
let typeExpr (t: TypeExpr) : TypeExpr = { t with Dims = List.map expr t.Dims; Range = none }

/// The declaration with every range in it stripped.
let rec decl (d: Decl) : Decl =
    match d with
    | Data(n, t, v, _) -> Data(ident n, typeExpr t, Option.map expr v, none)
    | Param(n, t, p, _) -> Param(ident n, Option.map typeExpr t, expr p, none)
    | Latent(n, t, p, _) -> Latent(ident n, Option.map typeExpr t, expr p, none)
    | Observe(n, t, rhs, _) ->
        let rhs =
            match rhs with
            | Distributed e -> Distributed(expr e)
            | Exact e -> Exact(expr e)

        Observe(ident n, Option.map typeExpr t, rhs, none)
    | ObservePart(target, d, _) -> ObservePart(expr target, expr d, none)
    | Let(n, t, v, _) -> Let(ident n, Option.map typeExpr t, expr v, none)
    | Factor(v, _) -> Factor(expr v, none)
    | Loop(var, lo, hi, states, body, _) ->
        let state (st: LoopState) : LoopState = { Name = ident st.Name; Init = expr st.Init; Range = none }

        Loop(ident var, expr lo, expr hi, List.map state states, List.map decl body, none)
    | Update(n, v, _) -> Update(ident n, expr v, none)
    | Fun(n, ps, ret, body, _) ->
        let param (p: FunParam) : FunParam =
            { Name = ident p.Name
              Type = typeExpr p.Type
              Range = none }

        let local (l: LocalLet) : LocalLet =
            { Name = ident l.Name
              Type = Option.map typeExpr l.Type
              Value = expr l.Value
              Range = none }

        let body =
            { Lets = List.map local body.Lets
              Loops = body.Loops |> List.map (fun (before, l) -> before, decl l)
              Result = expr body.Result
              Range = none }

        Fun(ident n, List.map param ps, typeExpr ret, body, none)

/// The model with every range in it stripped.
let model (m: Model) : Model =
    { Name = ident m.Name
      Decls = List.map decl m.Decls
      Range = none }
