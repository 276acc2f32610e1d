//! `borderless admin <command>`: the operator commands of every domain, one line each in [`COMMANDS`]. The
//! command line is built from what each command declares; tests run the same commands through [`execute`].

use anyhow::Context as _;
use clap::{Arg, ArgMatches, Command};
use kernel::admin::{AdminCommand, AdminContext, ClockAdvance, RunJobs};
use serde_json::Value;

/// Every operator command.
const COMMANDS: &[&dyn AdminCommand] = &[
    &ClockAdvance,
    &RunJobs,
    &mail::MailboxCommand,
    &accounts::DisableAccount,
    &accounts::EnableAccount,
    &accounts::ScheduledInternational,
    &payments::Fund,
    &payments::CheckLedger,
];

/// The `admin` subcommand: one nested subcommand per command word.
pub fn command_line() -> Command {
    Command::new("admin")
        .about("Runs an operator command against the service's database and prints its result as one line of JSON")
        .subcommand_required(true)
        .subcommands(subcommands(0, COMMANDS))
}

/// The subcommands named by the word at `depth` of `commands`, in the order first named.
fn subcommands(depth: usize, commands: &[&'static dyn AdminCommand]) -> Vec<Command> {
    let mut words: Vec<&'static str> = Vec::new();
    for command in commands {
        if let Some(word) = command.words().get(depth).filter(|w| !words.contains(w)) {
            words.push(word);
        }
    }
    words
        .into_iter()
        .map(|word| {
            let group: Vec<&'static dyn AdminCommand> =
                commands.iter().copied().filter(|c| c.words().get(depth) == Some(&word)).collect();
            match group.iter().find(|c| c.words().len() == depth + 1) {
                Some(leaf) => leaf.arguments().iter().fold(Command::new(word).about(leaf.about()), |cmd, argument| {
                    cmd.arg(Arg::new(argument.name).required(argument.required).help(argument.help))
                }),
                None => Command::new(word).subcommand_required(true).subcommands(subcommands(depth + 1, &group)),
            }
        })
        .collect()
}

/// Runs the command `matches` (of [`command_line`]) names and answers its JSON result.
pub async fn run(ctx: &AdminContext, matches: &ArgMatches) -> anyhow::Result<Value> {
    let mut words = Vec::new();
    let mut current = matches;
    while let Some((word, sub)) = current.subcommand() {
        words.push(word.to_owned());
        current = sub;
    }
    let command = COMMANDS
        .iter()
        .find(|c| c.words().iter().copied().eq(words.iter().map(String::as_str)))
        .with_context(|| format!("unknown command {}", words.join(" ")))?;
    let args: Vec<String> =
        command.arguments().iter().filter_map(|a| current.get_one::<String>(a.name).cloned()).collect();
    command.run(ctx, &args).await
}

/// Parses `words` as `borderless admin <words…>` would and runs the command: the path the tests take.
pub async fn execute(ctx: &AdminContext, words: &[&str]) -> anyhow::Result<Value> {
    let matches = command_line().try_get_matches_from(std::iter::once("admin").chain(words.iter().copied()))?;
    run(ctx, &matches).await
}
