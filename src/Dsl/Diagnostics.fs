namespace Ppl.Dsl

open System
open System.Text
open Ppl.Diagnostics

type Severity =
    | Error
    | Warning
    | Note

/// A problem found in a model or its inputs: a value, never an exception.
/// Codes are stable and banded: PPL00xx syntax, PPL01xx names, PPL02xx types and shapes,
/// PPL03xx model structure and capabilities, PPL04xx data and values, PPL05xx files and options,
/// PPL09xx internal errors (bugs). Every code is an entry of `Ppl.Diagnostics.DiagnosticCatalogue`.
type Diagnostic =
    { Code: string
      Severity: Severity
      Range: SourceRange
      Message: string
      Hint: string option }

module Diagnostic =
    /// A diagnostic of a catalogued code, with the severity the catalogue gives it.
    let create (code: DiagnosticCode) range message =
        { Code = code.Code
          Severity = (if code.Level = DiagnosticLevel.Warning then Warning else Error)
          Range = range
          Message = message
          Hint = None }

    /// An error of a catalogued code (the catalogue must call it an error).
    let error (code: DiagnosticCode) range message =
        if code.Level <> DiagnosticLevel.Error then
            invalidArg (nameof code) $"{code.Code} is not an error"
        create code range message

    let withHint hint (d: Diagnostic) = { d with Hint = Some hint }

    let isError (d: Diagnostic) = d.Severity = Error

    let private severityText s =
        match s with
        | Error -> "error"
        | Warning -> "warning"
        | Note -> "note"

    /// Renders `file:line:col: error PPL0123: message`, then the source line and a caret under the
    /// range (clipped to that line), then the hint. `source` is the text of `d.Range.File`, when known.
    let render (source: string option) (d: Diagnostic) =
        let sb = StringBuilder()
        let r = d.Range

        if r.Start.Line > 0 then
            sb.AppendFormat("{0}:{1}:{2}: ", r.File, r.Start.Line, r.Start.Column) |> ignore
        elif not (String.IsNullOrEmpty r.File) then
            sb.AppendFormat("{0}: ", r.File) |> ignore

        sb.AppendFormat("{0} {1}: {2}", severityText d.Severity, d.Code, d.Message) |> ignore
        sb.Append('\n') |> ignore

        match source with
        | Some text when r.Start.Line > 0 ->
            let lines = text.Replace("\r\n", "\n").Split('\n')

            if r.Start.Line <= lines.Length then
                let line = lines[r.Start.Line - 1].TrimEnd('\r').Replace('\t', ' ')
                let gutter = string r.Start.Line
                let pad = String(' ', gutter.Length)
                sb.AppendFormat("{0} | {1}\n", gutter, line) |> ignore
                let startCol = max 1 (min r.Start.Column (line.Length + 1))

                let endCol = if r.End.Line = r.Start.Line then max (startCol + 1) r.End.Column else line.Length + 1

                let width = max 1 (min (endCol - startCol) (line.Length + 1 - startCol + 1))

                sb.AppendFormat("{0} | {1}{2}\n", pad, String(' ', startCol - 1), String('^', width)) |> ignore
        | _ -> ()

        match d.Hint with
        | Some h -> sb.AppendFormat("  = hint: {0}\n", h) |> ignore
        | None -> ()

        sb.ToString()
