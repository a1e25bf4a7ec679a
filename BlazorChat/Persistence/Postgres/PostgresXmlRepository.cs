using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// ASP.NET Core's data protection keys in the cluster's PostgreSQL database (table <c>data_protection_keys</c>), so every
/// node protects and unprotects with the same key ring: a page rendered by one node starts its circuit on another, an
/// account or guest cookie, an antiforgery token and Blazor's persisted component state made by one node are read by
/// every other. Keys are added, never changed (revocations are elements of their own); each node reads the ring at
/// start and again when it meets a key it does not know. As with the file system's default, the keys are stored as
/// plain XML: protect the database as the secret it holds.
/// </summary>
public sealed class PostgresXmlRepository(PostgresDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous; the key ring is read rarely (at start, then when it expires or misses a key).
        database.EnsureSchemaAsync().GetAwaiter().GetResult();
        using var connection = database.DataSource.OpenConnection();
        using var command = PostgresSql.Command(connection, "SELECT xml FROM data_protection_keys ORDER BY id;");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
            elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.EnsureSchemaAsync().GetAwaiter().GetResult();
        using var connection = database.DataSource.OpenConnection();
        using var command = PostgresSql.Command(connection, "INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2);",
            friendlyName, element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
