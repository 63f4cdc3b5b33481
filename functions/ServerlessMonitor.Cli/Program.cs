using System.CommandLine;
using ServerlessMonitor.Cli;

// `sm`: the Serverless Monitor command line. One subcommand per task (`probe`, `settings`;
// the Nagios check comes next), each in its own class. Exit codes follow the monitoring
// convention the Nagios check will share: 0 passed, 2 failed, 1 the command was wrong.
var root = new RootCommand("Serverless Monitor from the command line.")
{
    ProbeCommand.Create(),
    SettingsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
