//! PHP: `composer.json` (require, require-dev, scripts) and the composer
//! commands CI runs.

use super::formats::{json_deps, json_scripts, parse_json};
use super::{CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::StackCommands;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "php",
    manifest,
    parse: composer,
    lockfiles: &[],
    default_package_manager: None,
    framework,
    commands,
    label: |_| "PHP",
    version_files: &[],
    dependabot: |_| Some("composer"),
    // Composer 2.4+ reads advisories for the locked production packages.
    vulnerability_scan: |_, _| Some("composer audit --no-dev".to_string()),
};

fn manifest(name: &str) -> Option<u8> {
    (name == "composer.json").then_some(0)
}

fn composer(
    path: &str,
    text: &str,
    mut m: Manifest,
    facts: &mut Facts,
    _: &mut Features,
) -> Option<Manifest> {
    let v = parse_json(path, text, facts)?;
    let lines: Vec<&str> = text.lines().collect();
    let platform = |k: &str| k == "php" || k.starts_with("ext-") || k.starts_with("lib-");
    m.name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    m.dependencies
        .extend(json_deps(&v, &lines, "require", false, platform));
    m.dependencies
        .extend(json_deps(&v, &lines, "require-dev", true, platform));
    m.scripts = json_scripts(&v);
    m.package_manager = Some("composer".to_string());
    Some(m)
}

fn framework(n: &str) -> Option<&'static str> {
    Some(match n {
            "laravel/framework" => "laravel",
            "symfony/framework-bundle" => "symfony",
            _ => return None,
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    {
            let script = |n: &str| {
                c.scripts
                    .contains_key(n)
                    .then(|| format!("composer run-script {n}"))
            };
            StackCommands {
                install: Some("composer install --no-interaction --prefer-dist".to_string()),
                build: None,
                lint: script("lint").or_else(|| {
                    if c.dep("squizlabs/php_codesniffer") {
                        Some("vendor/bin/phpcs".to_string())
                    } else if c.dep("friendsofphp/php-cs-fixer") {
                        Some("vendor/bin/php-cs-fixer fix --dry-run --diff".to_string())
                    } else if c.dep("laravel/pint") {
                        Some("vendor/bin/pint --test".to_string())
                    } else {
                        None
                    }
                }),
                typecheck: if c.dep("phpstan/phpstan") || c.dep("larastan/larastan") {
                    Some("vendor/bin/phpstan analyse".to_string())
                } else if c.dep("vimeo/psalm") {
                    Some("vendor/bin/psalm".to_string())
                } else {
                    None
                },
                test: script("test").or_else(|| {
                    if c.dep("phpunit/phpunit") {
                        Some("vendor/bin/phpunit".to_string())
                    } else if c.dep("pestphp/pest") {
                        Some("vendor/bin/pest".to_string())
                    } else {
                        None
                    }
                }),
            }
        }
}

