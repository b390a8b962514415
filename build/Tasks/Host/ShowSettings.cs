using Cake.Frosting;
using Lading.Recipes;
using Spectre.Console;

namespace Lading.Tasks.Host;

[TaskName(nameof(ShowSettings))]
[TaskDescription("Prints every resolved setting and where it came from (recipe, environment, command line); secrets stay masked")]
[CommandLine("./build.sh --target=ShowSettings --recipe=recipes/release.yaml")]
public sealed class ShowSettings(IAnsiConsole console) : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var table = new Table().AddColumns("setting", "value", "from");
        foreach (var setting in SettingKeys.All)
        {
            var value = setting.Kind == SettingKind.SecretName
                ? $"{context.Settings.Text(setting.Key)} ({(context.Settings.Secret(setting.Key) is null ? "unset" : "set")})"
                : context.Settings.Text(setting.Key) ?? string.Empty;
            table.AddRow(Markup.Escape(setting.Key), Markup.Escape(context.Mask.Apply(value)), Markup.Escape(context.Settings.OriginOf(setting.Key)));
        }

        foreach (var notification in context.Settings.Notifications)
        {
            table.AddRow("notify", Markup.Escape($"{notification.Kind} via {notification.UrlEnv}"), Markup.Escape($"recipe {notification.Location}"));
        }

        console.Write(table);
    }
}
