using System.Globalization;
using System.Xml;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb run --junit FILE`: the run as JUnit XML, the format CI systems read (the common Ant/Surefire schema:
/// testsuites › testsuite › testcase with failure/skipped children). One suite per notebook; one case per code cell
/// (failed → failure with the reason, skipped or interrupted → skipped) and one per derivation step it displayed
/// (not as claimed → failure with the step's evidence).
/// </summary>
public static class JUnitReport
{
    public static void Write(string path, IReadOnlyList<NotebookResult> results, IReadOnlyList<IReadOnlyList<StepRecord>> steps)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var w = XmlWriter.Create(path, settings);
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        int Cases(int i) => results[i].Cells.Count(c => c.Status != CellStatus.NotCode) + steps[i].Count;
        int Failures(int i) => results[i].Failed + steps[i].Count(s => !s.AsExpected);
        int Skipped(int i) => results[i].Cells.Count(c => c.Status is CellStatus.Skipped or CellStatus.Interrupted);
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", "lossnb run");
        w.WriteAttributeString("tests", Enumerable.Range(0, results.Count).Sum(Cases).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", Enumerable.Range(0, results.Count).Sum(Failures).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", "0");
        w.WriteAttributeString("skipped", Enumerable.Range(0, results.Count).Sum(Skipped).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("time", Seconds(TimeSpan.FromTicks(results.Sum(r => r.Duration.Ticks))));
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            string suite = Path.GetFileNameWithoutExtension(r.NotebookPath);
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", suite);
            w.WriteAttributeString("tests", Cases(i).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("failures", Failures(i).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("errors", "0");
            w.WriteAttributeString("skipped", Skipped(i).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("time", Seconds(r.Duration));
            foreach (var c in r.Cells.Where(c => c.Status != CellStatus.NotCode))
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", $"{suite}.cells");
                w.WriteAttributeString("name", $"cell {c.Index + 1}");
                w.WriteAttributeString("time", Seconds(c.Duration));
                if (c.Status == CellStatus.Failed)
                {
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", c.Reason ?? "failed");
                    w.WriteString(c.Reason ?? "");
                    w.WriteEndElement();
                }
                else if (c.Status is CellStatus.Skipped or CellStatus.Interrupted)
                {
                    w.WriteStartElement("skipped");
                    w.WriteAttributeString("message", c.Reason ?? c.Status.ToString().ToLowerInvariant());
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            foreach (var s in steps[i])
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", $"{suite}.steps");
                w.WriteAttributeString("name", s.Id);
                w.WriteAttributeString("time", "0");
                if (!s.AsExpected)
                {
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", s.Passed ? $"{s.Id} passes but is stated as wrong" : $"{s.Id} fails");
                    w.WriteString($"{s.Derivation}: {s.Claim}\n{s.Evidence}" + (s.Diagnosis is { } d ? $"\ndiagnosis: {d}" : ""));
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
