namespace Ppl.Dsl

/// Syntax tree of a `.ppl` model. Every node carries its source range as its last field.
/// Field names are PascalCase so that the C# compiler reads them as ordinary properties.

type Ident = { Name: string; Range: SourceRange }

type ElemType =
    | Real
    | Int
    | Bool
    | Complex

type UnaryOp =
    | Neg
    | Not

type BinaryOp =
    | Add
    | Sub
    | Mul
    | Div
    | Mod
    | Pow
    | MatMul
    | Eq
    | Ne
    | Lt
    | Le
    | Gt
    | Ge
    | And
    | Or

/// `real[5, N, N]`: an element type and a list of size expressions (empty for a scalar).
type TypeExpr = { Elem: ElemType; Dims: Expr list; Range: SourceRange }

and Expr =
    /// A numeric literal. `IsInt` when written without '.', exponent or suffix; `Text` is the source spelling.
    | Number of Value: double * IsInt: bool * Text: string * Range: SourceRange
    | BoolLit of Value: bool * Range: SourceRange
    | Var of Name: Ident
    /// `-e`, `!e`
    | Unary of Op: UnaryOp * Operand: Expr * Range: SourceRange
    | Binary of Op: BinaryOp * Left: Expr * Right: Expr * Range: SourceRange
    /// `f(a, b, lower = c)`
    | Call of Callee: Ident * Args: Arg list * Range: SourceRange
    /// `e[i, 1:3, ..., ::2]`
    | Index of Target: Expr * Items: IndexItem list * Range: SourceRange
    /// `e.name`
    | Field of Target: Expr * Name: Ident * Range: SourceRange
    /// `[a, b, c]`; nested vector literals make matrices.
    | Vector of Items: Expr list * Range: SourceRange
    /// `[body for i in lo:hi]`, stacking the bodies along a new leading axis; `i` is an int.
    | Comprehension of Body: Expr * Var: Ident * Lo: Expr * Hi: Expr * Range: SourceRange
    /// `if c then a else b`, elementwise where the condition is a tensor.
    | If of Cond: Expr * Then: Expr * Else: Expr * Range: SourceRange
    /// Placeholder left by error recovery; the parser has reported a diagnostic for it.
    | ErrorExpr of Range: SourceRange

and Arg =
    | Positional of Value: Expr
    | Named of Name: Ident * Value: Expr

and IndexItem =
    | Single of Value: Expr
    /// `start:stop:step`, each part optional.
    | Slice of Start: Expr option * Stop: Expr option * Step: Expr option * Range: SourceRange
    /// `...`
    | Ellipsis of Range: SourceRange
    /// `_`: insert a new axis of size 1 (NumPy's None).
    | NewAxis of Range: SourceRange

/// The right-hand side of `observe`.
type ObserveRhs =
    /// `observe y ~ Normal(mu, sigma)`: drawn when simulating, scored by the density when inferring.
    | Distributed of Dist: Expr
    /// `observe y = f(...)`: a deterministic function of the other variables (no density).
    | Exact of Value: Expr

type FunParam = { Name: Ident; Type: TypeExpr; Range: SourceRange }

/// A local binding inside a function body.
type LocalLet =
    { Name: Ident
      Type: TypeExpr option
      Value: Expr
      Range: SourceRange }

/// `s = init` in a loop header: a state carried from step to step.
type LoopState = { Name: Ident; Init: Expr; Range: SourceRange }

/// A function's block body: local lets, loops among them (each with the number of lets before it), and the result.
type FunBody =
    { Lets: LocalLet list
      Loops: (int * Decl) list
      Result: Expr
      Range: SourceRange }

and Decl =
    /// `data N: int = 256`
    | Data of Name: Ident * Type: TypeExpr * Default: Expr option * Range: SourceRange
    /// `param theta: real[2] ~ Uniform(-1, 1)`; without a type, a real scalar.
    | Param of Name: Ident * Type: TypeExpr option * Prior: Expr * Range: SourceRange
    /// `latent z: real[5, N, N] ~ Normal(0, 1)`
    | Latent of Name: Ident * Type: TypeExpr option * Prior: Expr * Range: SourceRange
    | Observe of Name: Ident * Type: TypeExpr option * Rhs: ObserveRhs * Range: SourceRange
    /// `observe y[5:N] ~ Normal(mu, sigma)`: part of data `y` observed (Target is `Index(Var y, ...)`).
    | ObservePart of Target: Expr * Dist: Expr * Range: SourceRange
    /// `let x: real[3] = e`
    | Let of Name: Ident * Type: TypeExpr option * Value: Expr * Range: SourceRange
    /// `fun f(a: real, b: real[2]) -> real[2] = e`, or with a `{ let ...  return e }` block body.
    | Fun of Name: Ident * Params: FunParam list * Returns: TypeExpr * Body: FunBody * Range: SourceRange
    /// `factor e`: adds the real e (summed over its elements) to the log density, as Stan's `target +=`.
    | Factor of Value: Expr * Range: SourceRange
    /// `for t in lo:hi with s = init { body }`: the body (lets, latents, observes and state updates) runs for t = lo, …,
    /// hi − 1 and sees the states' values from the previous step; after the loop each name declared in the body is the
    /// stack of its per-step values and each state is its final value.
    | Loop of Var: Ident * Lo: Expr * Hi: Expr * States: LoopState list * Body: Decl list * Range: SourceRange
    /// `s = e` inside a loop body: the state's value from here on and for the next step.
    | Update of Name: Ident * Value: Expr * Range: SourceRange

type Model = { Name: Ident; Decls: Decl list; Range: SourceRange }

module Syntax =
    let exprRange (e: Expr) =
        match e with
        | Number(_, _, _, r)
        | BoolLit(_, r)
        | Unary(_, _, r)
        | Binary(_, _, _, r)
        | Call(_, _, r)
        | Index(_, _, r)
        | Field(_, _, r)
        | Vector(_, r)
        | Comprehension(_, _, _, _, r)
        | If(_, _, _, r)
        | ErrorExpr r -> r
        | Var id -> id.Range

    let declRange (d: Decl) =
        match d with
        | Data(_, _, _, r)
        | Param(_, _, _, r)
        | Latent(_, _, _, r)
        | Observe(_, _, _, r)
        | ObservePart(_, _, r)
        | Let(_, _, _, r)
        | Fun(_, _, _, _, r) -> r
        | Factor(_, r) -> r
        | Loop(_, _, _, _, _, r) -> r
        | Update(_, _, r) -> r

    let declName (d: Decl) =
        match d with
        | Data(n, _, _, _)
        | Param(n, _, _, _)
        | Latent(n, _, _, _)
        | Observe(n, _, _, _)
        | Let(n, _, _, _)
        | Fun(n, _, _, _, _) -> n
        // A factor has no name; one that no variable can have keeps it apart from the others.
        | Factor(_, r) ->
            { Name = sprintf "factor@%d:%d" r.Start.Line r.Start.Column
              Range = r }
        | ObservePart(Index(Var n, _, _), _, _) -> n
        | ObservePart(_, _, r) ->
            { Name = sprintf "observe@%d:%d" r.Start.Line r.Start.Column
              Range = r }
        | Loop(_, _, _, _, _, r) ->
            { Name = sprintf "loop@%d:%d" r.Start.Line r.Start.Column
              Range = r }
        | Update(n, _, _) -> n
