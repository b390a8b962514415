namespace Lading.Recipes;

public enum SettingKind
{
    Text,
    Flag,
    Number,
    Choice,
    List,

    /// <summary>The NAME of an environment variable that holds a secret; the secret itself never appears in a recipe.</summary>
    SecretName,
}
