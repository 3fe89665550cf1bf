namespace Ppl.Runtime.Plotting;

/// <summary>
/// A small proportional bitmap font of our own (see <see cref="GlyphTable"/>): ASCII, the minus sign, Greek
/// letters, and a few symbols (° ± × · …), 7 pixels tall with 2-pixel descenders. Drawn at integer scales so that
/// it stays crisp. Characters it lacks are drawn as a hollow box.
/// </summary>
public sealed class BitmapFont
{
    /// <summary>Rows above the baseline.</summary>
    public const int CapHeight = 7;

    /// <summary>Rows below the baseline.</summary>
    public const int Descent = 2;

    private const int SpaceAdvance = 3;
    private const int Spacing = 1;

    private static readonly Lazy<BitmapFont> DefaultFont = new(() => new BitmapFont(GlyphTable.Source));

    private readonly Dictionary<char, bool[,]> glyphs;
    private readonly bool[,] missing;

    private BitmapFont(string source)
    {
        glyphs = Parse(source);
        missing = new bool[CapHeight, 4];
        for (int r = 0; r < CapHeight; r++)
            for (int c = 0; c < 4; c++) missing[r, c] = r == 0 || r == CapHeight - 1 || c == 0 || c == 3;
    }

    /// <summary>The built-in font.</summary>
    public static BitmapFont Default => DefaultFont.Value;

    /// <summary>True when the font has a glyph for <paramref name="c"/> (space always counts).</summary>
    public bool Supports(char c) => c == ' ' || glyphs.ContainsKey(c);

    /// <summary>The width of <paramref name="text"/> in pixels at <paramref name="scale"/>.</summary>
    public int MeasureWidth(string text, int scale = 1)
    {
        int width = 0;
        foreach (char c in text) width += Advance(c);
        return Math.Max(0, width - Spacing) * scale;
    }

    /// <summary>
    /// Draws <paramref name="text"/> anchored at (<paramref name="x"/>, <paramref name="y"/>).
    /// </summary>
    /// <param name="raster">Where to draw.</param>
    /// <param name="text">One line of text.</param>
    /// <param name="x">Anchor x in pixels.</param>
    /// <param name="y">Anchor y in pixels.</param>
    /// <param name="color">Ink colour.</param>
    /// <param name="scale">Pixels per font pixel.</param>
    /// <param name="horizontal">Placement along the text relative to the anchor.</param>
    /// <param name="vertical">Placement across the text (top of capitals, their middle, or the baseline).</param>
    /// <param name="rotated">Turn the text 90° anticlockwise so that it reads upwards (for vertical axes).</param>
    public void Draw(Raster raster, string text, double x, double y, Rgba color, int scale = 1,
        TextAlignment horizontal = TextAlignment.Start, TextAlignment vertical = TextAlignment.Start, bool rotated = false)
    {
        scale = Math.Max(1, scale);
        int width = MeasureWidth(text, scale);
        int height = CapHeight * scale;
        double along = horizontal switch { TextAlignment.Center => -width / 2.0, TextAlignment.End => -width, _ => 0 };
        double across = vertical switch { TextAlignment.Center => -height / 2.0, TextAlignment.End => -height, _ => 0 };
        // Snap the text's origin to whole pixels so that every font pixel covers whole raster pixels.
        int originX = (int)Math.Round(rotated ? x + across : x + along);
        int originY = (int)Math.Round(rotated ? y - along : y + across);
        int cursor = 0;
        foreach (char c in text)
        {
            if (c != ' ')
            {
                var bits = glyphs.TryGetValue(c, out var glyph) ? glyph : missing;
                if (scale == 1) DrawCrisp(raster, bits, originX + (rotated ? 0 : cursor), originY - (rotated ? cursor : 0), color, rotated);
                else DrawSmoothed(raster, bits, cursor * scale, originX, originY, color, scale, rotated);
            }
            cursor += Advance(c);
        }
    }

    private static void DrawCrisp(Raster raster, bool[,] bits, int x, int y, Rgba color, bool rotated)
    {
        for (int row = 0; row < bits.GetLength(0); row++)
            for (int column = 0; column < bits.GetLength(1); column++)
            {
                if (!bits[row, column]) continue;
                if (rotated) raster.BlendPixel(x + row, y - column - 1, color);
                else raster.BlendPixel(x + column, y + row, color);
            }
    }

    /// <summary>
    /// Draws a glyph enlarged with its staircases smoothed: where two ink pixels touch only at a corner, the
    /// paper pixels beside that corner get a small triangle of ink (as the EPX pixel-art scaler does with
    /// quarter pixels), and every raster pixel is shaded by 4×4 supersampling.
    /// </summary>
    private static void DrawSmoothed(Raster raster, bool[,] bits, int offset, int originX, int originY, Rgba color, int scale, bool rotated)
    {
        int rows = bits.GetLength(0), columns = bits.GetLength(1);
        const int Samples = 4;
        for (int v = 0; v < rows * scale; v++)
            for (int u = 0; u < columns * scale; u++)
            {
                int hits = 0;
                for (int sy = 0; sy < Samples; sy++)
                    for (int sx = 0; sx < Samples; sx++)
                        if (Inked(bits, (u + (sx + 0.5) / Samples) / scale, (v + (sy + 0.5) / Samples) / scale)) hits++;
                if (hits == 0) continue;
                double coverage = hits / (double)(Samples * Samples);
                if (rotated) raster.BlendPixel(originX + v, originY - offset - u - 1, color, coverage);
                else raster.BlendPixel(originX + offset + u, originY + v, color, coverage);
            }
    }

    private static bool Inked(bool[,] bits, double x, double y)
    {
        int column = (int)x, row = (int)y;
        if (At(bits, row, column)) return true;
        double fx = x - column, fy = y - row;
        // Fill a corner of a paper pixel whose two neighbours at that corner are ink and whose other two are not.
        const double Leg = 0.7;
        bool up = At(bits, row - 1, column), down = At(bits, row + 1, column), left = At(bits, row, column - 1), right = At(bits, row, column + 1);
        if (up && left && !down && !right && fx + fy < Leg) return true;
        if (up && right && !down && !left && (1 - fx) + fy < Leg) return true;
        if (down && left && !up && !right && fx + (1 - fy) < Leg) return true;
        if (down && right && !up && !left && (1 - fx) + (1 - fy) < Leg) return true;
        return false;
    }

    private static bool At(bool[,] bits, int row, int column) =>
        row >= 0 && column >= 0 && row < bits.GetLength(0) && column < bits.GetLength(1) && bits[row, column];

    private int Advance(char c)
    {
        if (c == ' ') return SpaceAdvance + Spacing;
        return (glyphs.TryGetValue(c, out var glyph) ? glyph.GetLength(1) : missing.GetLength(1)) + Spacing;
    }

    private static Dictionary<char, bool[,]> Parse(string source)
    {
        const int Rows = CapHeight + Descent;
        var result = new Dictionary<char, bool[,]>();
        var lines = source.Replace("\r", "").Split('\n');
        int i = 0;
        while (i < lines.Length)
        {
            if (lines[i].Trim().Length == 0)
            {
                i++;
                continue;
            }
            var names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (i + Rows >= lines.Length || names.Any(n => n.Length != 1))
                throw new InvalidOperationException($"Glyph table line {i + 1}: expected single characters and {Rows} rows below them.");
            var rows = Enumerable.Range(i + 1, Rows).Select(k => lines[k].Split(' ')).ToArray();
            if (rows.Any(r => r.Length != names.Length))
                throw new InvalidOperationException($"Glyph table band at line {i + 1}: every row needs one entry per glyph.");
            for (int g = 0; g < names.Length; g++)
            {
                int width = rows[0][g].Length;
                var bits = new bool[Rows, width];
                for (int r = 0; r < Rows; r++)
                {
                    if (rows[r][g].Length != width) throw new InvalidOperationException($"Glyph '{names[g][0]}' has rows of different widths.");
                    for (int k = 0; k < width; k++) bits[r, k] = rows[r][g][k] == '#';
                }
                if (!result.TryAdd(names[g][0], bits)) throw new InvalidOperationException($"Glyph '{names[g][0]}' is defined twice.");
            }
            i += Rows + 1;
        }
        return result;
    }
}
