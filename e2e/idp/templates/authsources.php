<?php
/*
 * Authentication sources for Jetway's end-to-end tests: the users of e2e/support/constants.ts,
 * through exampleauth:UserPass ("username:password" => attributes, every value a list).
 */
$e2e = json_decode(file_get_contents(__DIR__ . '/e2e.json'), true, 512, JSON_THROW_ON_ERROR);

$users = [];
foreach ($e2e['users'] as $user) {
    $users[$user['username'] . ':' . $user['password']] = [
        'uid' => [$user['username']],
        'email' => [$user['email']],
        'displayName' => [$user['displayName']],
        'groups' => $user['groups'],
    ];
}

$config = [
    'admin' => ['core:AdminPassword'],
    'e2e-userpass' => array_merge(['exampleauth:UserPass'], $users),
];
