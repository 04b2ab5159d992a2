namespace LossNotebooks.Optimization;

/// <summary>
/// An optimizer's run left the range of double — the loss, the weights or the scores X̃·W became non-finite. That is a
/// property of the run (a step too large), not of its input, so it is not an <see cref="ArgumentException"/>.
/// </summary>
public sealed class DivergenceException : ArithmeticException
{
    public DivergenceException(int iteration, string what, string hint, Exception? inner = null)
        : base($"{what} at iteration {iteration}: {hint}.", inner)
    {
        Iteration = iteration;
    }

    /// <summary>The iteration at which the non-finite value was found (0 = the starting point).</summary>
    public int Iteration { get; }
}
