namespace Ppl.Dsl

/// A 1-based line and column in a source text.
[<Struct; CustomEquality; CustomComparison>]
type SourcePosition =
    { Line: int
      Column: int }

    override this.Equals(other) =
        match other with
        | :? SourcePosition as p -> p.Line = this.Line && p.Column = this.Column
        | _ -> false

    override this.GetHashCode() = this.Line * 10007 + this.Column

    interface System.IComparable with
        member this.CompareTo(other) =
            let p = other :?> SourcePosition
            if this.Line <> p.Line then compare this.Line p.Line else compare this.Column p.Column

    override this.ToString() = sprintf "%d:%d" this.Line this.Column

/// A span of source text: Start inclusive, End exclusive, both 1-based.
[<Struct>]
type SourceRange =
    { File: string
      Start: SourcePosition
      End: SourcePosition }

    override this.ToString() = sprintf "%s:%d:%d" this.File this.Start.Line this.Start.Column

module SourceRange =
    let make file (sl, sc) (el, ec) =
        { File = file
          Start = { Line = sl; Column = sc }
          End = { Line = el; Column = ec } }

    /// The smallest range covering both.
    let union (a: SourceRange) (b: SourceRange) =
        { File = a.File
          Start = (if compare a.Start b.Start <= 0 then a.Start else b.Start)
          End = (if compare a.End b.End >= 0 then a.End else b.End) }

    /// A range for things that do not come from source text (builtins, command-line values).
    let synthetic name =
        { File = name
          Start = { Line = 0; Column = 0 }
          End = { Line = 0; Column = 0 } }
