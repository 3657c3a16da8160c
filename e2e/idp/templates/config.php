<?php
/*
 * SimpleSAMLphp configuration for Jetway's end-to-end tests.
 * Copied by e2e/idp/setup.ts into .e2e/simplesamlphp/; the values that vary per run
 * (base URL, salt, users, Jetway's URLs) come from e2e.json beside this file.
 * Debian's /etc/simplesamlphp is never read: SIMPLESAMLPHP_CONFIG_DIR points here.
 */
$e2e = json_decode(file_get_contents(__DIR__ . '/e2e.json'), true, 512, JSON_THROW_ON_ERROR);

$config = [
    // Served by `php -S` at the web root, not under Debian's /simplesamlphp Apache alias.
    'baseurlpath' => $e2e['baseUrl'],
    'certdir' => __DIR__ . '/cert/',
    'loggingdir' => __DIR__ . '/log/',
    'datadir' => __DIR__ . '/data/',
    'tempdir' => __DIR__ . '/tmp',
    'metadatadir' => __DIR__ . '/metadata/',
    'metadata.sources' => [['type' => 'flatfile']],

    'technicalcontact_name' => 'Jetway e2e',
    'technicalcontact_email' => 'e2e@example.invalid',
    'timezone' => 'UTC',

    'secretsalt' => $e2e['secretSalt'],
    'auth.adminpassword' => $e2e['adminPassword'],
    'admin.protectindexpage' => false,
    'admin.protectmetadata' => false,
    'admin.checkforupdates' => false,
    'trusted.url.domains' => [],

    'debug' => ['saml' => false, 'backtraces' => true, 'validatexml' => false],
    'showerrors' => true,
    'errorreporting' => false,
    'production' => true,

    // errorlog: lines go to php -S's stderr, which setup.ts writes to php-server.log.
    'logging.level' => SimpleSAML\Logger::INFO,
    'logging.handler' => 'errorlog',
    'logging.processname' => 'simplesamlphp-e2e',
    'statistics.out' => [],

    'enable.saml20-idp' => true,
    'enable.shib13-idp' => false,
    'enable.adfs-idp' => false,
    // Debian ships exampleauth disabled; the test users live in it.
    'module.enable' => [
        'exampleauth' => true,
        'core' => true,
        'saml' => true,
    ],

    'store.type' => 'phpsession',
    'session.duration' => 8 * 60 * 60,
    'session.cookie.name' => $e2e['cookiePrefix'] . 'SessionID',
    'session.cookie.path' => '/',
    // Plain http: a Secure cookie would never come back, and SameSite=None requires Secure.
    'session.cookie.secure' => false,
    'session.cookie.samesite' => 'Lax',
    'session.phpsession.cookiename' => $e2e['cookiePrefix'],
    'session.phpsession.savepath' => __DIR__ . '/sessions',
    'session.phpsession.httponly' => true,
    'session.authtoken.cookiename' => $e2e['cookiePrefix'] . 'AuthToken',
    'session.rememberme.enable' => false,

    'language.default' => 'en',
    'language.available' => ['en'],
    'language.cookie.secure' => false,
    'language.cookie.samesite' => 'Lax',

    'theme.use' => 'default',
    'template.auto_reload' => false,

    // No attribute mapping or consent: release groups, email and displayName as they are.
    'authproc.idp' => [],
    'authproc.sp' => [],
];
