using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// infra/main.bicep compiles and lints clean with the real Bicep compiler (a warning is a
/// failure), and the compiled template is what azd needs: the parameters it fills, the outputs it
/// and the postdeploy hook read, and no keys anywhere.
/// </summary>
public sealed partial class TemplateTests
{
    [Fact]
    public void Compiles_without_a_warning_and_without_restoring_anything()
    {
        Assert.True(InfraTemplate.Built.Stderr.Trim().Length == 0, $"bicep build infra/main.bicep:\n{InfraTemplate.Built.Stderr}");
        Assert.Equal("subscriptionDeploymentTemplate.json#", InfraTemplate.Template["$schema"]!.ToString().Split('/')[^1]);
        var bicepFiles = Directory.GetFiles(Repo.PathOf("infra"), "*.bicep", SearchOption.AllDirectories);
        Assert.All(bicepFiles, f => Assert.DoesNotMatch(@"(?m)^\s*module\s+\w+\s+'(br|ts)[:/]", File.ReadAllText(f)));
    }

    [Fact]
    public void Lints_without_a_single_diagnostic()
    {
        var (code, stdout, stderr) = Bicep.Run("lint", InfraTemplate.MainFile, "--no-restore");
        Assert.True(code == 0 && (stdout + stderr).Trim().Length == 0, $"bicep lint infra/main.bicep (exit {code}):\n{stdout}{stderr}");
    }

    [Fact]
    public void Every_module_file_is_used_by_main_bicep()
    {
        var main = File.ReadAllText(InfraTemplate.MainFile);
        foreach (var module in Directory.GetFiles(Repo.PathOf("infra", "modules"), "*.bicep"))
        {
            Assert.Contains($"'modules/{Path.GetFileName(module)}'", main);
        }
    }

    [Fact]
    public void Takes_the_parameters_azd_fills_with_the_types_it_expects()
    {
        var parameters = InfraTemplate.Template["parameters"]!.AsObject();
        Assert.Equal("string", (string?)parameters["environmentName"]!["type"]);
        Assert.Equal(64, (int?)parameters["environmentName"]!["maxLength"]);
        Assert.Equal("string", (string?)parameters["location"]!["type"]);
        Assert.Equal("", (string?)parameters["principalId"]!["defaultValue"]);
        Assert.Equal("User", (string?)parameters["principalType"]!["defaultValue"]);
        Assert.Equal("array", (string?)parameters["regions"]!["type"]);
    }

    [Fact]
    public void Main_parameters_json_sets_only_declared_parameters_from_azd_variables()
    {
        var declared = InfraTemplate.Template["parameters"]!.AsObject();
        foreach (var (name, entry) in ParametersFile())
        {
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
            Assert.Matches(@"^\$\{[A-Z][A-Z0-9_]*\}$", (string?)entry!["value"] ?? "");
        }

        Assert.Equal("${AZURE_ENV_NAME}", (string?)ParametersFile()["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)ParametersFile()["location"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)ParametersFile()["principalId"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", (string?)ParametersFile()["principalType"]!["value"]);
    }

    [Fact]
    public void Every_required_parameter_has_a_value_from_the_file_or_is_a_secret_azd_generates()
    {
        var file = ParametersFile();
        foreach (var (name, parameter) in InfraTemplate.Template["parameters"]!.AsObject())
        {
            if (parameter!.AsObject().ContainsKey("defaultValue") || file.ContainsKey(name))
            {
                continue;
            }

            Assert.True((string?)parameter["metadata"]?["azd"]?["type"] == "generate", $"{name} has no value: azd would prompt for it");
            Assert.True((string?)parameter["type"] == "securestring", $"{name} is generated, so it must be @secure()");
        }
    }

    [Fact]
    public void Never_feeds_an_output_back_in_as_a_parameter()
    {
        // A stale output in the azd environment would pin the parameter to an old value.
        var outputs = InfraTemplate.Template["outputs"]!.AsObject();
        foreach (var (name, entry) in ParametersFile())
        {
            var variable = AzdVariable().Match((string?)entry!["value"] ?? "").Groups[1].Value;
            Assert.True(variable == "AZURE_LOCATION" || !outputs.ContainsKey(variable), $"{name} reads {variable}, an output of main.bicep");
        }
    }

    [Fact]
    public void Outputs_what_azd_and_the_postdeploy_hook_read()
    {
        var outputs = InfraTemplate.Template["outputs"]!.AsObject();
        string[] needed =
        [
            // azd: where things are, and the service's target.
            "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "SERVICE_API_NAME", "SERVICE_API_URI",
            // infra/hooks/deploy-regions.cs (AZURE_SUBSCRIPTION_ID is azd's own).
            "SM_FUNCTION_APPS",
        ];
        Assert.All(needed, name => Assert.True(outputs.ContainsKey(name), $"main.bicep does not output {name}"));
        Assert.Equal("array", (string?)outputs["SM_FUNCTION_APPS"]!["type"]);
        Assert.All(outputs, o => Assert.NotEqual("securestring", (string?)o.Value!["type"]));
    }

    [Fact]
    public void Outputs_one_entry_per_region_primary_first_with_the_primary_as_the_azd_service()
    {
        var snapshot = InfraTemplate.Defaults;
        var apps = snapshot.OfType("Microsoft.Web/sites").ToList();
        var primary = Assert.Single(apps, a => (string?)a["tags"]?["azd-service-name"] == "api");
        Assert.Equal(snapshot.Regions[0], (string?)primary["location"]);
        Assert.Equal(string.Join(",", snapshot.Regions), (string?)snapshot.Outputs["SM_REGIONS"]);
        Assert.Equal(snapshot.Regions[0], (string?)snapshot.Outputs["SM_PRIMARY_REGION"]);

        // Each entry names a region and its app, in the order of the regions parameter.
        var list = (string)snapshot.Outputs["SM_FUNCTION_APPS"]!;
        var names = snapshot.Regions.Select(r => apps.Single(a => (string?)a["location"] == r)["name"]!.ToString()).ToList();
        var positions = names.Select(n => list.IndexOf($"'name', '{n}'", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.All(snapshot.Regions, r => Assert.Contains($"'region', '{r}'", list));
    }

    [Fact]
    public void Reads_no_keys_and_builds_no_connection_string_with_a_key()
    {
        var template = InfraTemplate.Template.ToJsonString();
        Assert.DoesNotMatch(@"\blistKeys\(|\blistConnectionStrings\(|\blistSecrets\(", template);
        Assert.DoesNotMatch("(?i)AccountKey=|SharedAccessSignature=|accesskey=|primaryKey|primaryConnectionString", template);

        var storage = InfraTemplate.Defaults.Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["allowBlobPublicAccess"]!);
        Assert.True((bool)InfraTemplate.Defaults.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
    }

    [Fact]
    public void Keeps_the_secrets_in_key_vault_which_azd_down_purge_can_remove()
    {
        var vault = InfraTemplate.Defaults.Single("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.Null(vault["enablePurgeProtection"]);
        var secrets = InfraTemplate.Defaults.OfType("Microsoft.KeyVault/vaults/secrets").Select(Snapshot.ShortName).Order();
        Assert.Equal(["sm-token-secret", "sm-webhook-key"], secrets);
        Assert.Equal("securestring", (string?)InfraTemplate.Template["parameters"]!["tokenSecret"]!["type"]);
        Assert.Equal("securestring", (string?)InfraTemplate.Template["parameters"]!["webhookKey"]!["type"]);
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Repo.PathOf("infra", "main.parameters.json")))!["parameters"]!.AsObject();

    [GeneratedRegex(@"^\$\{(\w+)\}$")]
    private static partial Regex AzdVariable();
}
