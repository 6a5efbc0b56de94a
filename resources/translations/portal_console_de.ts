<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Portal Console</source>
        <translation>Über Portal Console</translation>
    </message>
    <message>
        <source>Portal Console</source>
        <translation>Portal Console</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>Run Stripe&apos;s customer portal from the desktop, with a built-in Stripe-compatible sandbox for trying things out.</source>
        <translation>Stripes Kundenportal vom Desktop aus bedienen – mit einer integrierten, Stripe-kompatiblen Sandbox zum Ausprobieren.</translation>
    </message>
    <message>
        <source>Proprietary software; all rights reserved by the Portal Console developers. Built with Qt and Qt for Python (PySide6), used under the GNU LGPL v3, and other open-source components under their own licences.</source>
        <translation>Proprietäre Software; alle Rechte vorbehalten durch die Entwickler von Portal Console. Erstellt mit Qt und Qt for Python (PySide6), verwendet unter der GNU LGPL v3, sowie weiteren Open-Source-Komponenten unter deren eigenen Lizenzen.</translation>
    </message>
    <message>
        <source>Qt {qt} · PySide6 {pyside}</source>
        <translation>Qt {qt} · PySide6 {pyside}</translation>
    </message>
</context>
<context>
    <name>AccountBanner</name>
    <message>
        <source>Starting the sandbox…</source>
        <translation>Sandbox wird gestartet…</translation>
    </message>
    <message>
        <source>TEST MODE</source>
        <translation>TESTMODUS</translation>
    </message>
    <message>
        <source>LIVE MODE</source>
        <translation>LIVEMODUS</translation>
    </message>
    <message>
        <source>acting for connected account {id}</source>
        <translation>handelt für verbundenes Konto {id}</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Add a Stripe account</source>
        <translation>Stripe-Konto hinzufügen</translation>
    </message>
    <message>
        <source>Paste a secret key (sk_…) or a restricted key (rk_…) from the Stripe Dashboard. It is kept in the system keyring, never in a file.</source>
        <translation>Fügen Sie einen geheimen Schlüssel (sk_…) oder einen eingeschränkten Schlüssel (rk_…) aus dem Stripe-Dashboard ein. Er wird im Schlüsselbund des Systems gespeichert, nie in einer Datei.</translation>
    </message>
    <message>
        <source>sk_test_… or sk_live_…</source>
        <translation>sk_test_… oder sk_live_…</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Stripe (leave empty)</source>
        <translation>Stripe (leer lassen)</translation>
    </message>
    <message>
        <source>Only for a Stripe-compatible server, such as another Portal Console sandbox.</source>
        <translation>Nur für einen Stripe-kompatiblen Server, etwa die Sandbox einer anderen Portal Console.</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Konto hinzufügen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Paste the account&apos;s API key first.</source>
        <translation>Fügen Sie zuerst den API-Schlüssel des Kontos ein.</translation>
    </message>
    <message>
        <source>Checking with Stripe…</source>
        <translation>Prüfung bei Stripe…</translation>
    </message>
</context>
<context>
    <name>CancellationPickers</name>
    <message>
        <source>Custom reasons</source>
        <translation>Eigene Gründe</translation>
    </message>
    <message>
        <source>{id} (not on this account)</source>
        <translation>{id} (nicht in diesem Konto)</translation>
    </message>
    <message>
        <source>{description} (deactivated)</source>
        <translation>{description} (deaktiviert)</translation>
    </message>
    <message>
        <source>This key may not read the account&apos;s custom reasons; they are kept as set.</source>
        <translation>Dieser Schlüssel darf die eigenen Gründe des Kontos nicht lesen; sie bleiben, wie sie sind.</translation>
    </message>
    <message>
        <source>This account has no custom reasons. Stripe&apos;s Dashboard makes them (Settings, Customer portal).</source>
        <translation>Dieses Konto hat keine eigenen Gründe. Sie werden im Stripe-Dashboard angelegt (Einstellungen, Kundenportal).</translation>
    </message>
    <message>
        <source>Stripe offers a coupon before a cancellation only when the link that opens the portal asks for it. The console&apos;s cancel links for this configuration offer this one; your own website has to pass it too (flow_data, subscription_cancel, retention). Kept in the metadata as {key}.</source>
        <translation>Stripe bietet vor einer Kündigung nur dann einen Gutschein an, wenn der Link, der das Portal öffnet, danach fragt. Die Kündigungslinks der Konsole für diese Konfiguration bieten diesen an; Ihre eigene Website muss ihn ebenfalls mitgeben (flow_data, subscription_cancel, retention). In den Metadaten gespeichert als {key}.</translation>
    </message>
    <message>
        <source>Retention offer</source>
        <translation>Halteangebot</translation>
    </message>
    <message>
        <source>No offer</source>
        <translation>Kein Angebot</translation>
    </message>
</context>
<context>
    <name>CancellationReasons</name>
    <message>
        <source>Too expensive</source>
        <translation>Zu teuer</translation>
    </message>
    <message>
        <source>Missing features</source>
        <translation>Fehlende Funktionen</translation>
    </message>
    <message>
        <source>Switched to another service</source>
        <translation>Zu einem anderen Anbieter gewechselt</translation>
    </message>
    <message>
        <source>Not used enough</source>
        <translation>Zu wenig genutzt</translation>
    </message>
    <message>
        <source>Unhappy with customer service</source>
        <translation>Unzufrieden mit dem Kundenservice</translation>
    </message>
    <message>
        <source>Too hard to use</source>
        <translation>Zu schwer zu bedienen</translation>
    </message>
    <message>
        <source>Quality below expectations</source>
        <translation>Qualität unter den Erwartungen</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>Anderer Grund</translation>
    </message>
    <message>
        <source>No reason given</source>
        <translation>Kein Grund angegeben</translation>
    </message>
</context>
<context>
    <name>CancellationReportView</name>
    <message>
        <source>Last {n} days</source>
        <translation>Letzte {n} Tage</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>Nach Tag</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>Nach Woche</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>Nach Monat</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <source>Fetch the events of this period (Ctrl+R)</source>
        <translation>Die Ereignisse dieses Zeitraums abrufen (Strg+R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop loading (Esc)</source>
        <translation>Laden abbrechen (Esc)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the report as CSV (Ctrl+E)</source>
        <translation>Den Bericht als CSV speichern (Strg+E)</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>Bi&amp;s:</translation>
    </message>
    <message>
        <source>(UTC days)</source>
        <translation>(Tage in UTC)</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Gruppierung:</translation>
    </message>
    <message>
        <source>Choose a period and press Load.</source>
        <translation>Wählen Sie einen Zeitraum und klicken Sie auf „Laden“.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Cancellations</source>
        <translation>Kündigungen</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Portal configuration</source>
        <translation>Portalkonfiguration</translation>
    </message>
    <message>
        <source>Date (UTC)</source>
        <translation>Datum (UTC)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Offered (UTC)</source>
        <translation>Angeboten (UTC)</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Abonnement</translation>
    </message>
    <message>
        <source>Coupon</source>
        <translation>Gutschein</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Summen</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Kommentare</translation>
    </message>
    <message>
        <source>Retention offers</source>
        <translation>Halteangebote</translation>
    </message>
    <message>
        <source>Loading the events from {first} to {last}…</source>
        <translation>Ereignisse vom {first} bis {last} werden geladen…</translation>
    </message>
    <message>
        <source>Loading… pages fetched: {pages}, events: {events}</source>
        <translation>Wird geladen… Abgerufene Seiten: {pages}, Ereignisse: {events}</translation>
    </message>
    <message>
        <source>Loading cancelled (pages fetched: {pages}, events: {events}). The report shown was not changed.</source>
        <translation>Laden abgebrochen (abgerufene Seiten: {pages}, Ereignisse: {events}). Der angezeigte Bericht wurde nicht geändert.</translation>
    </message>
    <message>
        <source>Loading failed (see the message above). Load retries.</source>
        <translation>Laden fehlgeschlagen (siehe Meldung oben). „Laden“ versucht es erneut.</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>{first} bis {last}</translation>
    </message>
    <message>
        <source>Cancellations: {cancellations} · Retention offers shown: {offers}, accepted: {accepted} · {span}</source>
        <translation>Kündigungen: {cancellations} · Halteangebote gezeigt: {offers}, angenommen: {accepted} · {span}</translation>
    </message>
    <message>
        <source>Loaded {events} events (pages fetched: {pages}).</source>
        <translation>{events} Ereignisse geladen (abgerufene Seiten: {pages}).</translation>
    </message>
    <message>
        <source>Comments ({n})</source>
        <translation>Kommentare ({n})</translation>
    </message>
    <message>
        <source>Retention offers ({n})</source>
        <translation>Halteangebote ({n})</translation>
    </message>
    <message>
        <source>No cancellations in this period ({span}).
No subscription was cancelled or set to end, and no retention offer was made. Choose a longer period or another account.</source>
        <translation>Keine Kündigungen in diesem Zeitraum ({span}).
Kein Abonnement wurde gekündigt oder zum Ende vorgemerkt, und es wurde kein Halteangebot gemacht. Wählen Sie einen längeren Zeitraum oder ein anderes Konto.</translation>
    </message>
    <message>
        <source>Every cancellation and retention offer (*.csv)</source>
        <translation>Alle Kündigungen und Halteangebote (*.csv)</translation>
    </message>
    <message>
        <source>Totals per day, week or month, as charted (*.csv)</source>
        <translation>Summen pro Tag, Woche oder Monat wie im Diagramm (*.csv)</translation>
    </message>
    <message>
        <source>Export the cancellation report</source>
        <translation>Kündigungsbericht exportieren</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} gespeichert</translation>
    </message>
</context>
<context>
    <name>ChangeReport</name>
    <message>
        <source>Nothing can be created:</source>
        <translation>Nichts kann angelegt werden:</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Creates a new configuration “{name}” on {target}.</source>
        <translation>Legt die neue Konfiguration „{name}“ in {target} an.</translation>
    </message>
    <message>
        <source>Updates the configuration “{name}” ({id}) on {target}.</source>
        <translation>Aktualisiert die Konfiguration „{name}“ ({id}) in {target}.</translation>
    </message>
    <message>
        <source>same id</source>
        <translation>gleiche ID</translation>
    </message>
    <message>
        <source>through its prices&apos; lookup keys</source>
        <translation>über die Lookup-Keys seiner Preise</translation>
    </message>
    <message>
        <source>by name</source>
        <translation>nach Name</translation>
    </message>
    <message>
        <source>by lookup key</source>
        <translation>nach Lookup-Key</translation>
    </message>
    <message>
        <source>by product name, amount and interval</source>
        <translation>nach Produktname, Betrag und Intervall</translation>
    </message>
    <message>
        <source>Products and prices found:</source>
        <translation>Gefundene Produkte und Preise:</translation>
    </message>
</context>
<context>
    <name>ConfigurationCopy</name>
    <message>
        <source>LIVE</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>{name} ({id}, {mode})</source>
        <translation>{name} ({id}, {mode})</translation>
    </message>
    <message>
        <source>    {name} ({id}, connected to {platform}, {mode})</source>
        <translation>    {name} ({id}, verbunden mit {platform}, {mode})</translation>
    </message>
    <message>
        <source>Choose an account…</source>
        <translation>Konto auswählen…</translation>
    </message>
    <message>
        <source>Connected accounts could not be listed for:</source>
        <translation>Verbundene Konten konnten nicht aufgelistet werden für:</translation>
    </message>
    <message>
        <source>LIVE MODE: the copy is created on {target}, for real customers.</source>
        <translation>LIVEMODUS: Die Kopie wird in {target} angelegt, für echte Kunden.</translation>
    </message>
    <message>
        <source>Checking what can be copied…</source>
        <translation>Es wird geprüft, was kopiert werden kann…</translation>
    </message>
    <message>
        <source>Copied to {target} as {id}.</source>
        <translation>Nach {target} als {id} kopiert.</translation>
    </message>
</context>
<context>
    <name>ConfigurationEditor</name>
    <message>
        <source>No prorations</source>
        <translation>Keine anteilige Verrechnung</translation>
    </message>
    <message>
        <source>Prorate (on the next invoice)</source>
        <translation>Anteilig verrechnen (mit der nächsten Rechnung)</translation>
    </message>
    <message>
        <source>Prorate and invoice at once</source>
        <translation>Anteilig verrechnen und sofort in Rechnung stellen</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Only you see it</source>
        <translation>Nur für Sie sichtbar</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Sessions may use it</source>
        <translation>Sitzungen dürfen sie verwenden</translation>
    </message>
    <message>
        <source>Default return URL</source>
        <translation>Standard-Rückkehr-URL</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>Überschrift</translation>
    </message>
    <message>
        <source>Up to 60 characters</source>
        <translation>Bis zu 60 Zeichen</translation>
    </message>
    <message>
        <source>Privacy policy URL</source>
        <translation>URL der Datenschutzerklärung</translation>
    </message>
    <message>
        <source>Terms of service URL</source>
        <translation>URL der Nutzungsbedingungen</translation>
    </message>
    <message>
        <source>Login page</source>
        <translation>Anmeldeseite</translation>
    </message>
    <message>
        <source>Customers may sign in with a shareable link</source>
        <translation>Kunden können sich über einen teilbaren Link anmelden</translation>
    </message>
    <message>
        <source>Login link</source>
        <translation>Anmeldelink</translation>
    </message>
    <message>
        <source>Customer information</source>
        <translation>Kundeninformationen</translation>
    </message>
    <message>
        <source>Customer details</source>
        <translation>Kundendaten</translation>
    </message>
    <message>
        <source>Customers may update their details</source>
        <translation>Kunden können ihre Daten ändern</translation>
    </message>
    <message>
        <source>Details they may update</source>
        <translation>Änderbare Daten</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Billing address</source>
        <translation>Rechnungsadresse</translation>
    </message>
    <message>
        <source>Shipping address</source>
        <translation>Lieferadresse</translation>
    </message>
    <message>
        <source>Tax IDs</source>
        <translation>Steuer-IDs</translation>
    </message>
    <message>
        <source>Invoice history</source>
        <translation>Rechnungsverlauf</translation>
    </message>
    <message>
        <source>Customers see their invoices</source>
        <translation>Kunden sehen ihre Rechnungen</translation>
    </message>
    <message>
        <source>Payment methods</source>
        <translation>Zahlungsmethoden</translation>
    </message>
    <message>
        <source>Customers may update their payment methods</source>
        <translation>Kunden können ihre Zahlungsmethoden ändern</translation>
    </message>
    <message>
        <source>Payment method configuration</source>
        <translation>Konfiguration der Zahlungsmethoden</translation>
    </message>
    <message>
        <source>pmc_… (empty: the account&apos;s default)</source>
        <translation>pmc_… (leer: Standard des Kontos)</translation>
    </message>
    <message>
        <source>Cancellation</source>
        <translation>Kündigung</translation>
    </message>
    <message>
        <source>Customers may cancel subscriptions</source>
        <translation>Kunden können Abonnements kündigen</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <source>At the end of the billing period</source>
        <translation>Zum Ende des Abrechnungszeitraums</translation>
    </message>
    <message>
        <source>Immediately</source>
        <translation>Sofort</translation>
    </message>
    <message>
        <source>Proration</source>
        <translation>Anteilige Verrechnung</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Gründe</translation>
    </message>
    <message>
        <source>Ask customers why they cancel</source>
        <translation>Kunden nach dem Kündigungsgrund fragen</translation>
    </message>
    <message>
        <source>Reasons offered</source>
        <translation>Angebotene Gründe</translation>
    </message>
    <message>
        <source>{title}: {message}</source>
        <translation>{title}: {message}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Pausing</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Customers may pause subscriptions</source>
        <translation>Kunden können Abonnements pausieren</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Fixed durations to choose from</source>
        <translation>Feste Zeiträume zur Auswahl</translation>
    </message>
    <message>
        <source>Until the customer resumes</source>
        <translation>Bis der Kunde es fortsetzt</translation>
    </message>
    <message>
        <source>Plan switching</source>
        <translation>Tarifwechsel</translation>
    </message>
    <message>
        <source>Customers may change their subscriptions</source>
        <translation>Kunden können ihre Abonnements ändern</translation>
    </message>
    <message>
        <source>They may change</source>
        <translation>Änderbar sind</translation>
    </message>
    <message>
        <source>Price (plan)</source>
        <translation>Preis (Tarif)</translation>
    </message>
    <message>
        <source>Promotion code</source>
        <translation>Aktionscode</translation>
    </message>
    <message>
        <source>Billing cycle</source>
        <translation>Abrechnungszyklus</translation>
    </message>
    <message>
        <source>Keep the billing date</source>
        <translation>Abrechnungsdatum beibehalten</translation>
    </message>
    <message>
        <source>Restart the billing cycle now</source>
        <translation>Abrechnungszyklus jetzt neu beginnen</translation>
    </message>
    <message>
        <source>Stripe&apos;s default (keep the billing date)</source>
        <translation>Stripes Standard (Abrechnungsdatum beibehalten)</translation>
    </message>
    <message>
        <source>Wait for the period end when</source>
        <translation>Bis zum Periodenende warten, wenn</translation>
    </message>
    <message>
        <source>The amount goes down</source>
        <translation>der Betrag sinkt</translation>
    </message>
    <message>
        <source>The interval gets shorter</source>
        <translation>das Intervall kürzer wird</translation>
    </message>
    <message>
        <source>During a trial</source>
        <translation>Während eines Testzeitraums</translation>
    </message>
    <message>
        <source>A change ends the trial</source>
        <translation>Eine Änderung beendet den Testzeitraum</translation>
    </message>
    <message>
        <source>The trial continues</source>
        <translation>Der Testzeitraum läuft weiter</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>(Stripe makes one when the login page is on)</source>
        <translation>(Stripe erstellt ihn, wenn die Anmeldeseite aktiviert ist)</translation>
    </message>
</context>
<context>
    <name>ConfigurationFields</name>
    <message>
        <source>Changed: not saved yet</source>
        <translation>Geändert: noch nicht gespeichert</translation>
    </message>
</context>
<context>
    <name>ConfigurationFiles</name>
    <message>
        <source>Export configuration</source>
        <translation>Konfiguration exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>{path} could not be written: {reason}</source>
        <translation>{path} konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>Nach {path} exportiert.</translation>
    </message>
    <message>
        <source>Import configuration</source>
        <translation>Konfiguration importieren</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON-Dateien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>{path} could not be read: {reason}</source>
        <translation>{path} konnte nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>{name} is not JSON (line {line}, column {column}: {reason}).</source>
        <translation>{name} ist kein JSON (Zeile {line}, Spalte {column}: {reason}).</translation>
    </message>
    <message>
        <source>Nothing imported: the file has problems.</source>
        <translation>Nichts importiert: Die Datei enthält Fehler.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>LIVE MODE: the import changes {account}.</source>
        <translation>LIVEMODUS: Der Import ändert {account}.</translation>
    </message>
    <message>
        <source>Imported as {id}.</source>
        <translation>Als {id} importiert.</translation>
    </message>
</context>
<context>
    <name>ConfigurationList</name>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>The default configuration: sessions without one use it.</source>
        <translation>Die Standardkonfiguration: Sitzungen ohne eigene Konfiguration verwenden sie.</translation>
    </message>
    <message>
        <source>{name}
(new, not saved yet)</source>
        <translation>{name}
(neu, noch nicht gespeichert)</translation>
    </message>
</context>
<context>
    <name>ConfigurationNames</name>
    <message>
        <source>{name} (default)</source>
        <translation>{name} (Standard)</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name} (inaktiv)</translation>
    </message>
</context>
<context>
    <name>ConfigurationTables</name>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add metadata key</source>
        <translation>Metadaten-Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Auswahl entfernen</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Add duration</source>
        <translation>Zeitraum hinzufügen</translation>
    </message>
    <message>
        <source>Pause durations offered</source>
        <translation>Angebotene Pausenzeiträume</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>Wochen</translation>
    </message>
    <message>
        <source>months</source>
        <translation>Monate</translation>
    </message>
    <message>
        <source>years</source>
        <translation>Jahre</translation>
    </message>
</context>
<context>
    <name>ConfigurationsView</name>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Speichern…</translation>
    </message>
    <message>
        <source>Shows what changes, then saves (Ctrl+S)</source>
        <translation>Zeigt die Änderungen und speichert dann (Strg+S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <source>&amp;Copy to…</source>
        <translation>Ko&amp;pieren nach…</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Show or hide the portal as customers will see it ({keys})</source>
        <translation>Das Portal so zeigen oder ausblenden, wie Kunden es sehen werden ({keys})</translation>
    </message>
    <message>
        <source>Portal configurations</source>
        <translation>Portalkonfigurationen</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>{name} ({where}, {mode})</source>
        <translation>{name} ({where}, {mode})</translation>
    </message>
    <message>
        <source>Loading the configurations…</source>
        <translation>Konfigurationen werden geladen…</translation>
    </message>
    <message>
        <source>The configurations could not be loaded (see the message above).</source>
        <translation>Die Konfigurationen konnten nicht geladen werden (siehe Meldung oben).</translation>
    </message>
    <message>
        <source>Refresh (Ctrl+R) tries again.</source>
        <translation>„Aktualisieren“ (Strg+R) versucht es erneut.</translation>
    </message>
    <message>
        <source>New configuration</source>
        <translation>Neue Konfiguration</translation>
    </message>
    <message>
        <source>List reloaded; your unsaved edits are kept.</source>
        <translation>Liste neu geladen; Ihre ungespeicherten Änderungen bleiben erhalten.</translation>
    </message>
    <message>
        <source>No portal configurations yet: New makes one.</source>
        <translation>Noch keine Portalkonfigurationen: „Neu“ legt eine an.</translation>
    </message>
    <message>
        <source>{count} configuration(s) on {account}.</source>
        <translation>{count} Konfiguration(en) in {account}.</translation>
    </message>
    <message>
        <source>  (default)</source>
        <translation>  (Standard)</translation>
    </message>
    <message>
        <source>{count} problem(s) to fix before saving (marked in red).</source>
        <translation>{count} Problem(e) vor dem Speichern beheben (rot markiert).</translation>
    </message>
    <message>
        <source>{count} unsaved change(s). Ctrl+S shows them, then saves.</source>
        <translation>{count} ungespeicherte Änderung(en). Strg+S zeigt sie an und speichert dann.</translation>
    </message>
    <message>
        <source>No unsaved changes.</source>
        <translation>Keine ungespeicherten Änderungen.</translation>
    </message>
    <message>
        <source>Edits reverted.</source>
        <translation>Änderungen zurückgesetzt.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>this configuration</source>
        <translation>diese Konfiguration</translation>
    </message>
    <message>
        <source>“{name}” has unsaved changes.</source>
        <translation>„{name}“ hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Save them, discard them, or go back to editing?</source>
        <translation>Möchten Sie sie speichern, verwerfen oder weiter bearbeiten?</translation>
    </message>
    <message>
        <source>Not saved: fix the problems marked in red first.</source>
        <translation>Nicht gespeichert: Beheben Sie zuerst die rot markierten Probleme.</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>Nichts zu speichern.</translation>
    </message>
    <message>
        <source>Not saved: the field {fields} needs attention.</source>
        <translation>Nicht gespeichert: Das Feld {fields} braucht Ihre Aufmerksamkeit.</translation>
    </message>
    <message>
        <source>Not saved: {count} fields need attention ({fields}).</source>
        <translation>Nicht gespeichert: {count} Felder brauchen Ihre Aufmerksamkeit ({fields}).</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Stripe refused the save; your edits are kept.</source>
        <translation>Stripe hat das Speichern abgelehnt; Ihre Änderungen bleiben erhalten.</translation>
    </message>
    <message>
        <source>The save failed; your edits are kept. Save retries.</source>
        <translation>Speichern fehlgeschlagen; Ihre Änderungen bleiben erhalten. „Speichern“ versucht es erneut.</translation>
    </message>
    <message>
        <source>Saved to {account}.</source>
        <translation>In {account} gespeichert.</translation>
    </message>
</context>
<context>
    <name>ConnectedAccountDialog</name>
    <message>
        <source>Act for a connected account</source>
        <translation>Für ein verbundenes Konto handeln</translation>
    </message>
    <message>
        <source>Loading the connected accounts of {name}…</source>
        <translation>Verbundene Konten von {name} werden geladen…</translation>
    </message>
    <message>
        <source>Act for this account</source>
        <translation>Für dieses Konto handeln</translation>
    </message>
    <message>
        <source>{name} itself (no connected account)</source>
        <translation>{name} selbst (kein verbundenes Konto)</translation>
    </message>
    <message>
        <source>{count} connected accounts. Choose whose data the console shows.</source>
        <translation>{count} verbundene Konten. Wählen Sie, wessen Daten die Konsole anzeigt.</translation>
    </message>
</context>
<context>
    <name>CopyDialog</name>
    <message>
        <source>Copy portal configuration</source>
        <translation>Portalkonfiguration kopieren</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy “{name}” (as saved on Stripe) to:</source>
        <translation>„{name}“ (wie bei Stripe gespeichert) kopieren nach:</translation>
    </message>
    <message>
        <source>Choose an account to check what can be copied.</source>
        <translation>Wählen Sie ein Konto, um zu prüfen, was kopiert werden kann.</translation>
    </message>
</context>
<context>
    <name>CoverageView</name>
    <message>
        <source>Portal configuration</source>
        <translation>Portalkonfiguration</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Filter by action or reason</source>
        <translation>Nach Aktion oder Grund filtern</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <source>Allowed or reason</source>
        <translation>Erlaubt / Grund</translation>
    </message>
    <message>
        <source>Click a bar or a row to list its subscriptions.</source>
        <translation>Auf einen Balken oder eine Zeile klicken, um ihre Abonnements aufzulisten.</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Abonnement</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Open support card</source>
        <translation>Supportkarte öffnen</translation>
    </message>
    <message>
        <source>The customer&apos;s support card (Enter)</source>
        <translation>Die Supportkarte des Kunden (Eingabetaste)</translation>
    </message>
    <message>
        <source>Open the portal as this customer</source>
        <translation>Portal als dieser Kunde öffnen</translation>
    </message>
    <message>
        <source>Configuration:</source>
        <translation>Konfiguration:</translation>
    </message>
    <message>
        <source>Only in test mode: in live mode the portal would show a real customer&apos;s data</source>
        <translation>Nur im Testmodus: Im Livemodus würde das Portal die Daten eines echten Kunden zeigen</translation>
    </message>
    <message>
        <source>The portal view, set to this customer, ready to open</source>
        <translation>Die Portalansicht, auf diesen Kunden eingestellt und bereit zum Öffnen</translation>
    </message>
    <message>
        <source>The account has no portal configuration yet: there is nothing to count.</source>
        <translation>Das Konto hat noch keine Portalkonfiguration: Es gibt nichts zu zählen.</translation>
    </message>
    <message>
        <source>Reading subscriptions stopped; it goes on from there next time.</source>
        <translation>Das Lesen der Abonnements wurde angehalten; beim nächsten Mal geht es dort weiter.</translation>
    </message>
    <message>
        <source>Bringing the subscriptions index up to date…</source>
        <translation>Der Abonnement-Index wird aktualisiert…</translation>
    </message>
    <message>
        <source>{n} subscriptions indexed; kept current from Stripe&apos;s events.</source>
        <translation>{n} Abonnements im Index; aktuell gehalten über die Ereignisse von Stripe.</translation>
    </message>
    <message>
        <source>The account has no subscriptions yet.</source>
        <translation>Das Konto hat noch keine Abonnements.</translation>
    </message>
    <message>
        <source>Reading subscriptions: {done} of about {total}</source>
        <translation>Abonnements werden gelesen: {done} von etwa {total}</translation>
    </message>
    <message>
        <source>Reading subscriptions: {done}</source>
        <translation>Abonnements werden gelesen: {done}</translation>
    </message>
    <message>
        <source>{n} subscriptions, of which the portal allows each action for the green part and refuses it for the rest, by reason (ended subscriptions not counted: {ended}).</source>
        <translation>{n} Abonnements: Das Portal erlaubt jede Aktion für den grünen Teil und lehnt sie für den Rest ab, nach Grund (beendete Abonnements nicht mitgezählt: {ended}).</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <source>{action}, {why}: {n} subscription</source>
        <translation>{action}, {why}: {n} Abonnement</translation>
    </message>
    <message>
        <source>{action}, {why}: {n} subscriptions</source>
        <translation>{action}, {why}: {n} Abonnements</translation>
    </message>
    <message>
        <source>(the newest {shown} listed; Export CSV saves them all)</source>
        <translation>(die neuesten {shown} aufgelistet; „CSV exportieren“ speichert alle)</translation>
    </message>
    <message>
        <source>Counts per action and reason (*.csv)</source>
        <translation>Anzahlen je Aktion und Grund (*.csv)</translation>
    </message>
    <message>
        <source>Every subscription behind the chosen number (*.csv)</source>
        <translation>Alle Abonnements hinter der gewählten Zahl (*.csv)</translation>
    </message>
    <message>
        <source>Export portal coverage</source>
        <translation>Portalabdeckung exportieren</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} gespeichert</translation>
    </message>
</context>
<context>
    <name>CsvFile</name>
    <message>
        <source>The CSV file could not be written to {path}: {reason}</source>
        <translation>Die CSV-Datei konnte nicht nach {path} geschrieben werden: {reason}</translation>
    </message>
</context>
<context>
    <name>CustomerDetail</name>
    <message>
        <source>switch plans</source>
        <translation>den Tarif wechseln</translation>
    </message>
    <message>
        <source>change the quantity</source>
        <translation>die Menge ändern</translation>
    </message>
    <message>
        <source>apply a promotion code</source>
        <translation>einen Aktionscode einlösen</translation>
    </message>
    <message>
        <source>cancel at once</source>
        <translation>sofort kündigen</translation>
    </message>
    <message>
        <source>cancel at the end of the period</source>
        <translation>zum Ende des Abrechnungszeitraums kündigen</translation>
    </message>
    <message>
        <source>undo the cancellation</source>
        <translation>die Kündigung zurücknehmen</translation>
    </message>
    <message>
        <source>pause it</source>
        <translation>es pausieren</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Trialing</source>
        <translation>Testzeitraum</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Unbezahlt</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>Unvollständig</translation>
    </message>
    <message>
        <source>Incomplete, expired</source>
        <translation>Unvollständig, abgelaufen</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Gekündigt</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Bezahlt</translation>
    </message>
    <message>
        <source>Uncollectible</source>
        <translation>Uneinbringlich</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Invoices are sent to the customer to pay</source>
        <translation>Rechnungen werden dem Kunden zur Zahlung geschickt</translation>
    </message>
    <message>
        <source>Charged automatically</source>
        <translation>Automatisch abgebucht</translation>
    </message>
    <message>
        <source>In the portal, the customer can do nothing with this subscription.</source>
        <translation>Im Portal kann der Kunde mit diesem Abonnement nichts tun.</translation>
    </message>
    <message>
        <source>{first} or {last}</source>
        <translation>{first} oder {last}</translation>
    </message>
    <message>
        <source>In the portal, the customer can only {actions}.</source>
        <translation>Im Portal kann der Kunde nur {actions}.</translation>
    </message>
    <message>
        <source>In the portal, the customer can {actions}.</source>
        <translation>Im Portal kann der Kunde {actions}.</translation>
    </message>
    <message>
        <source>open the portal here</source>
        <translation>hier im Portal öffnen</translation>
    </message>
    <message>
        <source>Good to know:</source>
        <translation>Gut zu wissen:</translation>
    </message>
    <message>
        <source>Last cancellation ({date}):</source>
        <translation>Letzte Kündigung ({date}):</translation>
    </message>
    <message>
        <source>Credit balance: {amount} (taken off the next invoices)</source>
        <translation>Guthaben: {amount} (wird von den nächsten Rechnungen abgezogen)</translation>
    </message>
    <message>
        <source>Owes {amount} (added to the next invoice)</source>
        <translation>Schuldet {amount} (kommt auf die nächste Rechnung)</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <source>customer since {date}</source>
        <translation>Kunde seit {date}</translation>
    </message>
    <message>
        <source>Portal configuration: {name}</source>
        <translation>Portalkonfiguration: {name}</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation>Rechnungen</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Payment methods</source>
        <translation>Zahlungsmethoden</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Tax IDs</source>
        <translation>Steuer-IDs</translation>
    </message>
</context>
<context>
    <name>CustomerDetailPane</name>
    <message>
        <source>Select a customer to see their subscriptions, invoices and more.</source>
        <translation>Wählen Sie einen Kunden, um seine Abonnements, Rechnungen und mehr zu sehen.</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>No customer matches “{q}”.</source>
        <translation>Kein Kunde passt zu „{q}“.</translation>
    </message>
</context>
<context>
    <name>CustomersModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
</context>
<context>
    <name>CustomersView</name>
    <message>
        <source>Search customers by name, email, phone or id  (Ctrl+K)</source>
        <translation>Kunden nach Name, E-Mail, Telefon oder ID suchen  (Strg+K)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Open portal as customer…</source>
        <translation>Portal als Kunde öffnen…</translation>
    </message>
    <message>
        <source>Open the customer portal as this customer (Ctrl+O or Enter)</source>
        <translation>Das Kundenportal als dieser Kunde öffnen (Strg+O oder Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Select a customer to see their subscriptions, invoices and more.</source>
        <translation>Wählen Sie einen Kunden, um seine Abonnements, Rechnungen und mehr zu sehen.</translation>
    </message>
    <message>
        <source>Not available in live mode: Stripe allows opening the portal as a customer only with a test-mode key.</source>
        <translation>Im Livemodus nicht verfügbar: Stripe erlaubt das Öffnen des Portals als Kunde nur mit einem Schlüssel für den Testmodus.</translation>
    </message>
    <message>
        <source>{n} customer matches “{query}” (from the local index).</source>
        <translation>{n} Kunde passt zu „{query}“ (aus dem lokalen Index).</translation>
    </message>
    <message>
        <source>{n} customers match “{query}” (from the local index).</source>
        <translation>{n} Kunden passen zu „{query}“ (aus dem lokalen Index).</translation>
    </message>
    <message>
        <source>{n} customer matches “{query}” (from Stripe&apos;s search, which can miss changes of the last minute).</source>
        <translation>{n} Kunde passt zu „{query}“ (aus Stripes Suche, der Änderungen der letzten Minute fehlen können).</translation>
    </message>
    <message>
        <source>{n} customers match “{query}” (from Stripe&apos;s search, which can miss changes of the last minute).</source>
        <translation>{n} Kunden passen zu „{query}“ (aus Stripes Suche, der Änderungen der letzten Minute fehlen können).</translation>
    </message>
    <message>
        <source>The account has no customers yet.</source>
        <translation>Das Konto hat noch keine Kunden.</translation>
    </message>
    <message>
        <source>The newest customers. Type a name, email, phone number or customer id to search.</source>
        <translation>Die neuesten Kunden. Geben Sie zum Suchen einen Namen, eine E-Mail-Adresse, eine Telefonnummer oder eine Kunden-ID ein.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>{name} wird geladen…</translation>
    </message>
    <message>
        <source>The customer could not be loaded (see the message above).</source>
        <translation>Der Kunde konnte nicht geladen werden (siehe Meldung oben).</translation>
    </message>
    <message>
        <source>Rebuilding the customer index (Stripe keeps events 30 days, and the index is older): {done} of about {total}. Search uses the old index until then.</source>
        <translation>Der Kundenindex wird neu aufgebaut (Stripe bewahrt Ereignisse 30 Tage auf, der Index ist älter): {done} von etwa {total}. Bis dahin sucht die Suche im alten Index.</translation>
    </message>
    <message>
        <source>Syncing the customer index: {done} of about {total}</source>
        <translation>Kundenindex wird synchronisiert: {done} von etwa {total}</translation>
    </message>
    <message>
        <source>Rebuilding the customer index (Stripe keeps events 30 days, and the index is older): {done}. Search uses the old index until then.</source>
        <translation>Der Kundenindex wird neu aufgebaut (Stripe bewahrt Ereignisse 30 Tage auf, der Index ist älter): {done}. Bis dahin sucht die Suche im alten Index.</translation>
    </message>
    <message>
        <source>Syncing the customer index: {done}</source>
        <translation>Kundenindex wird synchronisiert: {done}</translation>
    </message>
    <message>
        <source>Syncing the customer index…</source>
        <translation>Kundenindex wird synchronisiert…</translation>
    </message>
    <message>
        <source>Customer index up to date: {count} customers.</source>
        <translation>Kundenindex aktuell: {count} Kunden.</translation>
    </message>
    <message>
        <source>Sync cancelled. Search still works (through Stripe); Sync now resumes it.</source>
        <translation>Synchronisierung abgebrochen. Die Suche funktioniert weiterhin (über Stripe); „Jetzt synchronisieren“ setzt sie fort.</translation>
    </message>
    <message>
        <source>Sync failed (see the message above). Sync now retries.</source>
        <translation>Synchronisierung fehlgeschlagen (siehe Meldung oben). „Jetzt synchronisieren“ versucht es erneut.</translation>
    </message>
</context>
<context>
    <name>DockedPreview</name>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Preview state</source>
        <translation>Stand der Vorschau</translation>
    </message>
    <message>
        <source>The customer&apos;s language</source>
        <translation>Die Sprache des Kunden</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>Wird dargestellt…</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>Sp&amp;rache:</translation>
    </message>
    <message>
        <source>The preview waits until the problems marked in red are fixed.</source>
        <translation>Die Vorschau wartet, bis die rot markierten Probleme behoben sind.</translation>
    </message>
    <message>
        <source>Unsaved changes — preview</source>
        <translation>Ungespeicherte Änderungen – Vorschau</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
</context>
<context>
    <name>ErrorBar</name>
    <message>
        <source>Details: {details}</source>
        <translation>Einzelheiten: {details}</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>ImpactList</name>
    <message>
        <source>Reading the subscriptions…</source>
        <translation>Abonnements werden gelesen …</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Abonnement</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>With the change</source>
        <translation>Mit der Änderung</translation>
    </message>
    <message>
        <source>gains it</source>
        <translation>erhält sie</translation>
    </message>
    <message>
        <source>loses it</source>
        <translation>verliert sie</translation>
    </message>
    <message>
        <source>{gained} gain it, {lost} lose it (at most {most} of each listed).</source>
        <translation>{gained} erhalten sie, {lost} verlieren sie (von jedem höchstens {most} aufgeführt).</translation>
    </message>
</context>
<context>
    <name>KeyringNotice</name>
    <message>
        <source>Portal Console needs the system keyring</source>
        <translation>Portal Console braucht den Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Keyring found: {backend}</source>
        <translation>Gefundener Schlüsselbund: {backend}</translation>
    </message>
    <message>
        <source>No keyring was found on this desktop. Portal Console keeps API keys only in the system keyring, so no account can be opened without one.</source>
        <translation>Auf diesem Desktop wurde kein Schlüsselbund gefunden. Portal Console bewahrt API-Schlüssel nur im Schlüsselbund des Systems auf; ohne ihn lässt sich kein Konto öffnen.</translation>
    </message>
    <message>
        <source>The only keyring found would keep API keys in a plain file, so Portal Console does not use it.</source>
        <translation>Der einzige gefundene Schlüsselbund würde API-Schlüssel unverschlüsselt in einer Datei ablegen; Portal Console verwendet ihn deshalb nicht.</translation>
    </message>
    <message>
        <source>The keyring is locked, or its password prompt was closed.</source>
        <translation>Der Schlüsselbund ist gesperrt, oder seine Passwortabfrage wurde geschlossen.</translation>
    </message>
    <message>
        <source>The keyring did not answer.</source>
        <translation>Der Schlüsselbund hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>The keyring could not store a test entry.</source>
        <translation>Der Schlüsselbund konnte keinen Testeintrag speichern.</translation>
    </message>
    <message>
        <source>Unlock the “Login” keyring: it opens when you log in to the desktop, or open the Passwords and Keys app and unlock it there. Then choose Try again.</source>
        <translation>Entsperren Sie den Schlüsselbund „Anmeldung“: Er öffnet sich, wenn Sie sich am Desktop anmelden, oder Sie entsperren ihn in der App „Passwörter und Verschlüsselung“. Wählen Sie dann „Erneut versuchen“.</translation>
    </message>
    <message>
        <source>Unlock the system keychain, then choose Try again.</source>
        <translation>Entsperren Sie den Schlüsselbund des Systems und wählen Sie dann „Erneut versuchen“.</translation>
    </message>
    <message>
        <source>If a password prompt of the keyring is open, answer it. Otherwise log out and back in, then choose Try again.</source>
        <translation>Ist eine Passwortabfrage des Schlüsselbunds offen, beantworten Sie sie. Sonst melden Sie sich ab und wieder an und wählen dann „Erneut versuchen“.</translation>
    </message>
    <message>
        <source>Install a Secret Service keyring and log in again: on Debian or Ubuntu, run “sudo apt install gnome-keyring” and log out and back in; on KDE, turn on KWallet. A remote or headless session needs a desktop session with D-Bus.</source>
        <translation>Installieren Sie einen Secret-Service-Schlüsselbund und melden Sie sich neu an: Unter Debian oder Ubuntu mit „sudo apt install gnome-keyring“, danach ab- und wieder anmelden; unter KDE schalten Sie KWallet ein. Eine entfernte Sitzung ohne Desktop braucht eine Desktop-Sitzung mit D-Bus.</translation>
    </message>
    <message>
        <source>Sign out of macOS and back in, then choose Try again.</source>
        <translation>Melden Sie sich bei macOS ab und wieder an und wählen Sie dann „Erneut versuchen“.</translation>
    </message>
    <message>
        <source>Sign out of Windows and back in, then choose Try again.</source>
        <translation>Melden Sie sich bei Windows ab und wieder an und wählen Sie dann „Erneut versuchen“.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Portal Console</source>
        <translation>Portal Console</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Open portal as customer</source>
        <translation>Portal als Kunde öffnen</translation>
    </message>
    <message>
        <source>Portal configurations</source>
        <translation>Portalkonfigurationen</translation>
    </message>
    <message>
        <source>Branding preview</source>
        <translation>Branding-Vorschau</translation>
    </message>
    <message>
        <source>Cancellation report</source>
        <translation>Kündigungsbericht</translation>
    </message>
    <message>
        <source>Portal coverage</source>
        <translation>Portalabdeckung</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Konto</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>Konto &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Switch to</source>
        <translation>&amp;Wechseln zu</translation>
    </message>
    <message>
        <source>Act for &amp;connected account…</source>
        <translation>Für &amp;verbundenes Konto handeln…</translation>
    </message>
    <message>
        <source>&amp;Remove this account…</source>
        <translation>Dieses Konto &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Close panel</source>
        <translation>Bereich s&amp;chließen</translation>
    </message>
    <message>
        <source>Ac&amp;tions</source>
        <translation>Ak&amp;tionen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Find customer</source>
        <translation>Kunden &amp;finden</translation>
    </message>
    <message>
        <source>Configuration preview</source>
        <translation>Konfigurationsvorschau</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About Portal Console</source>
        <translation>Ü&amp;ber Portal Console</translation>
    </message>
    <message>
        <source>(nothing to do here)</source>
        <translation>(hier gibt es nichts zu tun)</translation>
    </message>
    <message>
        <source>TEST</source>
        <translation>TEST</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <source>Portal Console — {name} ({mode})</source>
        <translation>Portal Console — {name} ({mode})</translation>
    </message>
    <message>
        <source>No keyring to keep API keys</source>
        <translation>Kein Schlüsselbund für die API-Schlüssel</translation>
    </message>
    <message>
        <source>(no accounts yet)</source>
        <translation>(noch keine Konten)</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>{name} wird geöffnet…</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Konto entfernen</translation>
    </message>
    <message>
        <source>Remove {name} ({mode}) from the console and delete its key from the keyring? Nothing changes in Stripe.</source>
        <translation>{name} ({mode}) aus der Konsole entfernen und den Schlüssel aus dem Schlüsselbund löschen? In Stripe ändert sich nichts.</translation>
    </message>
    <message>
        <source>Checking the system keyring…</source>
        <translation>Schlüsselbund des Systems wird geprüft…</translation>
    </message>
    <message>
        <source>Starting the built-in sandbox…</source>
        <translation>Integrierte Sandbox wird gestartet…</translation>
    </message>
    <message>
        <source>The built-in sandbox could not be opened.</source>
        <translation>Die integrierte Sandbox konnte nicht geöffnet werden.</translation>
    </message>
</context>
<context>
    <name>NamedTasks</name>
    <message>
        <source>Something went wrong ({error}); the action did not finish. Details are in the log.</source>
        <translation>Etwas ist schiefgelaufen ({error}); die Aktion wurde nicht abgeschlossen. Details stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>PortalBrowser</name>
    <message>
        <source>← Back</source>
        <translation>← Zurück</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Zurück (Alt+Links)</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Reload the page (F5)</source>
        <translation>Die Seite neu laden (F5)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the portal (Esc)</source>
        <translation>Das Portal schließen (Esc)</translation>
    </message>
    <message>
        <source>The portal opens here, as the customer sees it. Choose a customer and press Open in app (Ctrl+Enter).</source>
        <translation>Das Portal öffnet sich hier, so wie der Kunde es sieht. Wählen Sie einen Kunden und klicken Sie auf „In der App öffnen“ (Strg+Enter).</translation>
    </message>
    <message>
        <source>Opening the portal…</source>
        <translation>Portal wird geöffnet…</translation>
    </message>
</context>
<context>
    <name>PortalSessionRequest</name>
    <message>
        <source>Choose which of the customer&apos;s subscriptions the flow is about.</source>
        <translation>Wählen Sie, um welches Abonnement des Kunden es in dem Ablauf geht.</translation>
    </message>
    <message>
        <source>Choose the new price or quantity the customer is asked to confirm.</source>
        <translation>Wählen Sie den neuen Preis oder die neue Menge, die der Kunde bestätigen soll.</translation>
    </message>
</context>
<context>
    <name>PortalSessionView</name>
    <message>
        <source>Name, email or customer id</source>
        <translation>Name, E-Mail oder Kunden-ID</translation>
    </message>
    <message>
        <source>No customer chosen yet.</source>
        <translation>Noch kein Kunde ausgewählt.</translation>
    </message>
    <message>
        <source>The account&apos;s default</source>
        <translation>Standard des Kontos</translation>
    </message>
    <message>
        <source>Automatic (the customer&apos;s language)</source>
        <translation>Automatisch (Sprache des Kunden)</translation>
    </message>
    <message>
        <source>None: the portal&apos;s home page</source>
        <translation>Keiner: Startseite des Portals</translation>
    </message>
    <message>
        <source>Update the payment method</source>
        <translation>Zahlungsmethode ändern</translation>
    </message>
    <message>
        <source>Update the customer&apos;s details</source>
        <translation>Kundendaten ändern</translation>
    </message>
    <message>
        <source>Cancel a subscription</source>
        <translation>Abonnement kündigen</translation>
    </message>
    <message>
        <source>Pause a subscription</source>
        <translation>Abonnement pausieren</translation>
    </message>
    <message>
        <source>Change a subscription&apos;s plan</source>
        <translation>Tarif eines Abonnements wechseln</translation>
    </message>
    <message>
        <source>Confirm a prepared plan change</source>
        <translation>Vorbereiteten Tarifwechsel bestätigen</translation>
    </message>
    <message>
        <source>Keep the current price</source>
        <translation>Aktuellen Preis beibehalten</translation>
    </message>
    <message>
        <source>Keep the current quantity</source>
        <translation>Aktuelle Menge beibehalten</translation>
    </message>
    <message>
        <source>Optional coupon id, e.g. RETENTION25</source>
        <translation>Optionale Gutschein-ID, z. B. RETENTION25</translation>
    </message>
    <message>
        <source>Cancel: the portal first offers this coupon to keep the customer. Plan change: the coupon applied with the change.</source>
        <translation>Kündigung: Das Portal bietet zuerst diesen Gutschein an, um den Kunden zu halten. Tarifwechsel: der Gutschein, der mit dem Wechsel angewendet wird.</translation>
    </message>
    <message>
        <source>Back to the portal&apos;s home page</source>
        <translation>Zurück zur Startseite des Portals</translation>
    </message>
    <message>
        <source>Show a confirmation message</source>
        <translation>Bestätigungsmeldung anzeigen</translation>
    </message>
    <message>
        <source>Redirect to an address</source>
        <translation>An eine Adresse weiterleiten</translation>
    </message>
    <message>
        <source>Optional: Stripe&apos;s message if empty</source>
        <translation>Optional: leer für Stripes Meldung</translation>
    </message>
    <message>
        <source>The configuration&apos;s default return address</source>
        <translation>Standard-Rückkehradresse der Konfiguration</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>Kun&amp;de</translation>
    </message>
    <message>
        <source>C&amp;onfiguration</source>
        <translation>K&amp;onfiguration</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>Ab&amp;lauf</translation>
    </message>
    <message>
        <source>&amp;Subscription</source>
        <translation>Abonn&amp;ement</translation>
    </message>
    <message>
        <source>New &amp;price</source>
        <translation>Neuer &amp;Preis</translation>
    </message>
    <message>
        <source>New &amp;quantity</source>
        <translation>Neue &amp;Menge</translation>
    </message>
    <message>
        <source>Co&amp;upon</source>
        <translation>&amp;Gutschein</translation>
    </message>
    <message>
        <source>&amp;After the flow</source>
        <translation>Na&amp;ch dem Ablauf</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Nachricht</translation>
    </message>
    <message>
        <source>&amp;Redirect to</source>
        <translation>&amp;Weiterleiten an</translation>
    </message>
    <message>
        <source>Re&amp;turn URL</source>
        <translation>Rückkehr-&amp;URL</translation>
    </message>
    <message>
        <source>This account is in live mode. Opening the portal as a customer is only possible in test mode (Stripe&apos;s rule, for the customers&apos; safety): use a test-mode key or the built-in sandbox.</source>
        <translation>Dieses Konto ist im Livemodus. Das Portal als Kunde zu öffnen, ist nur im Testmodus möglich (Stripes Regel, zum Schutz der Kunden): Verwenden Sie einen Schlüssel für den Testmodus oder die integrierte Sandbox.</translation>
    </message>
    <message>
        <source>Open in app</source>
        <translation>In der App öffnen</translation>
    </message>
    <message>
        <source>Open the portal here (Ctrl+Enter)</source>
        <translation>Das Portal hier öffnen (Strg+Enter)</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <source>Open the portal in the system&apos;s web browser (Ctrl+Shift+Enter)</source>
        <translation>Das Portal im Webbrowser des Systems öffnen (Strg+Umschalt+Enter)</translation>
    </message>
    <message>
        <source>Open the portal as a customer</source>
        <translation>Das Portal als Kunde öffnen</translation>
    </message>
    <message>
        <source>Opening the portal was cancelled.</source>
        <translation>Das Öffnen des Portals wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Loading {id}…</source>
        <translation>{id} wird geladen…</translation>
    </message>
    <message>
        <source>{id} could not be loaded (see the message above).</source>
        <translation>{id} konnte nicht geladen werden (siehe Meldung oben).</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>no email</source>
        <translation>keine E-Mail</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{email}&lt;br&gt;&lt;small&gt;{id}&lt;/small&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{email}&lt;br&gt;&lt;small&gt;{id}&lt;/small&gt;</translation>
    </message>
    <message>
        <source>The customer has no subscriptions</source>
        <translation>Der Kunde hat keine Abonnements</translation>
    </message>
    <message>
        <source>The system has no web browser to open the portal in.</source>
        <translation>Das System hat keinen Webbrowser, in dem das Portal geöffnet werden kann.</translation>
    </message>
    <message>
        <source>Opening the portal…</source>
        <translation>Portal wird geöffnet…</translation>
    </message>
    <message>
        <source>in the app</source>
        <translation>in der App</translation>
    </message>
    <message>
        <source>in the browser</source>
        <translation>im Browser</translation>
    </message>
    <message>
        <source>Portal session {id} opened {where}.</source>
        <translation>Portalsitzung {id} {where} geöffnet.</translation>
    </message>
</context>
<context>
    <name>PreviewRenderer</name>
    <message>
        <source>The built-in sandbox is not running, so nothing can render.</source>
        <translation>Die integrierte Sandbox läuft nicht, daher kann nichts dargestellt werden.</translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <source>The configuration to preview (Alt+C)</source>
        <translation>Die Konfiguration für die Vorschau (Alt+O)</translation>
    </message>
    <message>
        <source>&amp;Configuration:</source>
        <translation>K&amp;onfiguration:</translation>
    </message>
    <message>
        <source>The customer&apos;s language (Alt+L)</source>
        <translation>Die Sprache des Kunden (Alt+S)</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>&amp;Side by side</source>
        <translation>&amp;Nebeneinander</translation>
    </message>
    <message>
        <source>Show two to four languages next to each other (Alt+S; Esc to leave)</source>
        <translation>Zwei bis vier Sprachen nebeneinander zeigen (Alt+N; Esc zum Beenden)</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>Wird dargestellt…</translation>
    </message>
    <message>
        <source>Check up to four languages (Space toggles the selected one)</source>
        <translation>Bis zu vier Sprachen ankreuzen (Leertaste schaltet die ausgewählte um)</translation>
    </message>
    <message>
        <source>Languages side by side (up to four):</source>
        <translation>Sprachen nebeneinander (bis zu vier):</translation>
    </message>
    <message>
        <source>Up to four languages side by side: uncheck one first.</source>
        <translation>Höchstens vier Sprachen nebeneinander: Entfernen Sie zuerst ein Häkchen.</translation>
    </message>
</context>
<context>
    <name>ProductPicker</name>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Wöchentlich</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Monatlich</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>Jährlich</translation>
    </message>
    <message>
        <source>Every {count} days</source>
        <translation>Alle {count} Tage</translation>
    </message>
    <message>
        <source>Every {count} weeks</source>
        <translation>Alle {count} Wochen</translation>
    </message>
    <message>
        <source>Every {count} months</source>
        <translation>Alle {count} Monate</translation>
    </message>
    <message>
        <source>Every {count} years</source>
        <translation>Alle {count} Jahre</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Produktname</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Währung</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Intervall</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>All currencies</source>
        <translation>Alle Währungen</translation>
    </message>
    <message>
        <source>All intervals</source>
        <translation>Alle Intervalle</translation>
    </message>
    <message>
        <source>one-time: the portal switches between recurring prices only</source>
        <translation>einmalig: Das Portal wechselt nur zwischen wiederkehrenden Preisen</translation>
    </message>
    <message>
        <source>archived: customers can no longer switch to it</source>
        <translation>archiviert: Kunden können nicht mehr zu ihm wechseln</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>fest</translation>
    </message>
    <message>
        <source>{minimum} or more</source>
        <translation>{minimum} oder mehr</translation>
    </message>
    <message>
        <source>{minimum} to {maximum}</source>
        <translation>{minimum} bis {maximum}</translation>
    </message>
    <message>
        <source>Product and its prices</source>
        <translation>Produkt und seine Preise</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Customers may change the quantity</source>
        <translation>Kunden können die Menge ändern</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>Minimum</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>Maximum</translation>
    </message>
    <message>
        <source>Products offered</source>
        <translation>Angebotene Produkte</translation>
    </message>
    <message>
        <source>(not on this account)</source>
        <translation>(nicht in diesem Konto)</translation>
    </message>
    <message>
        <source>{id} (not on this account)</source>
        <translation>{id} (nicht in diesem Konto)</translation>
    </message>
    <message>
        <source>{count} offered price(s) are hidden by the filters.</source>
        <translation>{count} angebotene(r) Preis(e) durch die Filter ausgeblendet.</translation>
    </message>
    <message>
        <source>Select a product to set the quantity customers may choose.</source>
        <translation>Wählen Sie ein Produkt, um die Menge festzulegen, die Kunden wählen können.</translation>
    </message>
    <message>
        <source>Quantity of {name}:</source>
        <translation>Menge von {name}:</translation>
    </message>
    <message>
        <source>The portal offers no quantity change: Stripe&apos;s setting allows quantity changes, but no product here does. Allow it for a product, or save as it is (Stripe&apos;s setting is kept).</source>
        <translation>Das Portal bietet keine Mengenänderung an: Die Stripe-Einstellung erlaubt Mengenänderungen, aber kein Produkt hier. Erlauben Sie sie für ein Produkt oder speichern Sie so (die Stripe-Einstellung bleibt).</translation>
    </message>
    <message>
        <source>The portal offers no quantity change: {names} allow(s) it, but Stripe&apos;s setting for quantity changes is off. Edit a product&apos;s quantity to put them in step, or save as it is (kept).</source>
        <translation>Das Portal bietet keine Mengenänderung an: {names} erlaubt/erlauben sie, aber die Stripe-Einstellung für Mengenänderungen ist aus. Ändern Sie die Menge eines Produkts, um beides abzugleichen, oder speichern Sie so (bleibt erhalten).</translation>
    </message>
    <message>
        <source>Customers may change the quantity of: {names}.</source>
        <translation>Kunden können die Menge ändern von: {names}.</translation>
    </message>
    <message>
        <source>Customers cannot change quantities in the portal.</source>
        <translation>Kunden können im Portal keine Mengen ändern.</translation>
    </message>
</context>
<context>
    <name>ReasonsChart</name>
    <message>
        <source>Week of {date}</source>
        <translation>Woche ab {date}</translation>
    </message>
    <message>
        <source>Cancellations</source>
        <translation>Kündigungen</translation>
    </message>
</context>
<context>
    <name>ReportTables</name>
    <message>
        <source>{p} %</source>
        <translation>{p} %</translation>
    </message>
    <message>
        <source>Not through the portal (or no session seen)</source>
        <translation>Nicht über das Portal (oder keine Sitzung gesehen)</translation>
    </message>
    <message>
        <source>{name} ({id})</source>
        <translation>{name} ({id})</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Declined (cancelled)</source>
        <translation>Abgelehnt (gekündigt)</translation>
    </message>
    <message>
        <source>No decision seen</source>
        <translation>Keine Entscheidung gesehen</translation>
    </message>
</context>
<context>
    <name>SaveImpact</name>
    <message>
        <source>Not known yet: open Portal coverage once to read the account&apos;s subscriptions; from then on this summary says what a change does to them.</source>
        <translation>Noch nicht bekannt: Öffnen Sie einmal „Portalabdeckung“, damit die Abonnements des Kontos gelesen werden; danach sagt diese Zusammenfassung, was eine Änderung für sie bedeutet.</translation>
    </message>
</context>
<context>
    <name>SaveSummaryDialog</name>
    <message>
        <source>Save portal configuration</source>
        <translation>Portalkonfiguration speichern</translation>
    </message>
    <message>
        <source>LIVE MODE: this changes the portal your real customers use on {account}.</source>
        <translation>LIVEMODUS: Dies ändert das Portal, das Ihre echten Kunden in {account} verwenden.</translation>
    </message>
    <message>
        <source>Create the configuration “{name}” on {account} with:</source>
        <translation>Die Konfiguration „{name}“ in {account} anlegen mit:</translation>
    </message>
    <message>
        <source>Save {count} change(s) to “{name}” on {account}:</source>
        <translation>{count} Änderung(en) an „{name}“ in {account} speichern:</translation>
    </message>
    <message>
        <source>&amp;Details (parameters)</source>
        <translation>&amp;Details (Parameter)</translation>
    </message>
    <message>
        <source>Each parameter the save sends, before and after</source>
        <translation>Jeder Parameter, den das Speichern sendet, vorher und nachher</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Save to LIVE</source>
        <translation>Im Livemodus speichern</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>List…</source>
        <translation>Auflisten …</translation>
    </message>
    <message>
        <source>The subscriptions behind these numbers</source>
        <translation>Die Abonnements hinter diesen Zahlen</translation>
    </message>
    <message>
        <source>on</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menü</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
</context>
</TS>
