namespace Ppl.Runtime.IO;

/// <summary>
/// A write-only stream that passes its bytes on in blocks of one fixed size (the last one shorter), whatever sizes they
/// were written in. Deflate's output depends on how its input was split into calls; feeding it fixed blocks makes a
/// compressed entry a function of its bytes alone, so an archive written in one piece and one joined from parts are
/// identical (<see cref="NpzWriter"/>).
/// </summary>
internal sealed class FixedBlockStream(Stream inner, int blockSize) : Stream
{
    private readonly byte[] block = new byte[blockSize];
    private int filled;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, block.Length - filled);
            buffer[..n].CopyTo(block.AsSpan(filled));
            filled += n;
            buffer = buffer[n..];
            if (filled == block.Length) Emit();
        }
    }

    /// <summary>Does nothing: a partial block is passed on only at the end, so that block boundaries never move.</summary>
    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (filled > 0) Emit();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Emit()
    {
        inner.Write(block, 0, filled);
        filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
