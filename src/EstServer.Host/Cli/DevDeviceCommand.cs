using System.Globalization;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;

namespace EstServer.Host.Cli;

/// <summary>
/// estserver dev-device NAME [--count N] [--data-dir DIR]: mints demo device identities (IDevIDs signed
/// by the dev manufacturer CA) under DATA_DIR/dev-pki/devices, creating the dev PKI if needed.
/// </summary>
public static class DevDeviceCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? name = null;
        int count = 1;
        string dataDir = EstPaths.DataDirectory;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is > 0 and <= 100_000:
                    i++;
                    break;
                case "--data-dir" when i + 1 < args.Length:
                    dataDir = args[++i];
                    break;
                case var value when name is null && !value.StartsWith('-') && IsValidName(value):
                    name = value;
                    break;
                default:
                    error.WriteLine($"estserver dev-device: unexpected argument '{args[i]}'");
                    error.WriteLine("usage: estserver dev-device NAME [--count N] [--data-dir DIR]   (NAME: letters, digits, '-', '_')");
                    return 2;
            }
        }

        if (name is null)
        {
            error.WriteLine("usage: estserver dev-device NAME [--count N] [--data-dir DIR]   (NAME: letters, digits, '-', '_')");
            return 2;
        }

        DevPkiLayout layout = DevPkiLayout.InDataDir(dataDir);
        if (DevPkiGenerator.EnsureCreated(layout, TimeProvider.System))
        {
            output.WriteLine($"created the development PKI in {layout.Directory}");
        }

        for (int i = 1; i <= count; i++)
        {
            string deviceName = count == 1 ? name : $"{name}-{i.ToString("D4", CultureInfo.InvariantCulture)}";
            (string certificate, string key) = DevPkiGenerator.MintDevice(layout, deviceName, TimeProvider.System);
            output.WriteLine($"{certificate} {key}");
        }

        return 0;
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
