namespace Touchpoint.Server.Demo;

/// <summary>Bound from "Demo". On for the README's run command, off in production.</summary>
public sealed class DemoOptions
{
    public bool Seed { get; set; }
    public string Password { get; set; } = "Touchpoint#2026";
    /// <summary>Where demo mode writes the sandbox apps' keys (relative to the content root).</summary>
    public string SandboxDirectory { get; set; } = "data/demo";
    /// <summary>Approve member-field applications automatically after this many seconds; 0 (the default) is off.</summary>
    public double AutoApproveAfterSeconds { get; set; }
    /// <summary>How many demo terminals get device keys in data/demo/agents.json for run.sh's simulated agents.</summary>
    public int Agents { get; set; } = 5;
}
