namespace LossNotebooks.Differentiation;

/// <summary>The finite-difference formulas for a first derivative, with their truncation order.</summary>
public enum DifferenceRule
{
    /// <summary>(f(x+h) − f(x)) / h, error O(h).</summary>
    Forward,
    /// <summary>(f(x) − f(x−h)) / h, error O(h).</summary>
    Backward,
    /// <summary>(f(x+h) − f(x−h)) / 2h, error O(h²).</summary>
    Central,
    /// <summary>(−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h, error O(h⁴).</summary>
    FivePointCentral,
}
