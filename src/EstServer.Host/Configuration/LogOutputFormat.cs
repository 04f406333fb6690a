namespace EstServer.Host.Configuration;

/// <summary>Est:LogFormat: plain console lines, or one JSON object per line with the request scope as fields.</summary>
public enum LogOutputFormat
{
    Text,
    Json,
}
