using LossNotebooks.Validation;

namespace LossNotebooks.Networks;

/// <summary>A 2-D classification set: X is n×2 (row-major), one label per row.</summary>
public sealed record SpiralData(double[] X, int[] Labels, int Classes)
{
    public int Rows => Labels.Length;
}

/// <summary>
/// The spiral of the cs231n course: K arms, N points each; point r of arm k sits at radius r/(N−1) and angle
/// 4k + 4r/(N−1) + 0.2·N(0,1). Not linearly separable, so a linear classifier stalls near 50% and a small ReLU network
/// does not: the data set where backprop earns its keep.
/// </summary>
public static class Spiral
{
    public static SpiralData Generate(int pointsPerClass, int classes, int seed, double angleNoise = 0.2)
    {
        if (pointsPerClass < 2) throw new ArgumentOutOfRangeException(nameof(pointsPerClass), pointsPerClass, "pointsPerClass must be at least 2.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        Guard.NonNegative(angleNoise);
        var rng = new Random(seed);
        int n = pointsPerClass * classes;
        var x = new double[n * 2];
        var y = new int[n];
        for (int k = 0; k < classes; k++)
            for (int r = 0; r < pointsPerClass; r++)
            {
                int i = k * pointsPerClass + r;
                double radius = (double)r / (pointsPerClass - 1);
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                double t = 4.0 * k + 4.0 * radius + angleNoise * noise;
                x[2 * i] = radius * Math.Sin(t);
                x[2 * i + 1] = radius * Math.Cos(t);
                y[i] = k;
            }
        return new SpiralData(x, y, classes);
    }
}
