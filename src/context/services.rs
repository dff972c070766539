//! The one catalog of services discovery recognises, and the matchers that
//! turn a dependency, image, README word, env var or Terraform resource into
//! a service id.

use super::model::{Evidence, ServiceRole};
use crate::model::{Location, ServiceKind};
use crate::source::literals::{covering, LiteralSets};
use crate::source::text::{extension, re};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One service and every way it shows up in a repository.
pub struct ServiceDef {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: ServiceKind,
    /// Package names in any ecosystem. A name matches exactly or as a path
    /// prefix (`github.com/x/y` matches `github.com/x/y/v5`); a pattern ending
    /// in `/`, `-`, `:` or `_` matches as a plain prefix (`@sentry/`).
    /// `crate/feature` patterns match a Cargo dependency feature.
    pub deps: &'static [&'static str],
    /// Image repositories (`postgres`, `bitnami/postgresql`), without tag.
    pub images: &'static [&'static str],
    /// Words in a README that name it (matched case-insensitively as words).
    pub keywords: &'static [&'static str],
    /// Acronyms matched case-sensitively (`S3`, `SQS`).
    pub acronyms: &'static [&'static str],
    /// Environment variable prefixes or names.
    pub env_prefixes: &'static [&'static str],
    /// Terraform resource types; a trailing `_` matches as a prefix.
    pub tf_types: &'static [&'static str],
    /// Runs inside the app's process on a local file (SQLite, LevelDB, H2):
    /// a runtime dependency on it is the app's own store.
    pub embedded: bool,
}

use ServiceKind as K;

pub static CATALOG: &[ServiceDef] = &[
    ServiceDef {
        id: "postgresql",
        name: "PostgreSQL",
        kind: K::Database,
        deps: &[
            "pg",
            "postgres",
            "pg-promise",
            "@neondatabase/serverless",
            "@vercel/postgres",
            "psycopg2",
            "psycopg2-binary",
            "psycopg",
            "psycopg-binary",
            "asyncpg",
            "tokio-postgres",
            "sqlx/postgres",
            "diesel/postgres",
            "sea-orm/sqlx-postgres",
            "github.com/lib/pq",
            "github.com/jackc/pgx",
            "gorm.io/driver/postgres",
            "org.postgresql:postgresql",
        ],
        images: &["postgres", "postgresql", "postgis", "timescaledb"],
        keywords: &["postgres", "postgresql", "postgis"],
        acronyms: &[],
        env_prefixes: &[
            "POSTGRES",
            "PGHOST",
            "PGUSER",
            "PGPASSWORD",
            "PGDATABASE",
            "PGPORT",
        ],
        tf_types: &[
            "azurerm_postgresql_",
            "aws_db_instance:postgres",
            "aws_rds_cluster:postgres",
            "google_sql_database_instance:postgres",
        ],
        embedded: false,
    },
    ServiceDef {
        id: "mysql",
        name: "MySQL",
        kind: K::Database,
        deps: &[
            "mysql",
            "mysql2",
            "mysqlclient",
            "pymysql",
            "aiomysql",
            "mysql-connector-python",
            "sqlx/mysql",
            "mysql_async",
            "diesel/mysql",
            "github.com/go-sql-driver/mysql",
            "gorm.io/driver/mysql",
            "com.mysql:mysql-connector-j",
            "mysql:mysql-connector-java",
        ],
        images: &["mysql", "mariadb"],
        keywords: &["mysql", "mariadb"],
        acronyms: &[],
        env_prefixes: &["MYSQL"],
        tf_types: &[
            "azurerm_mysql_",
            "aws_db_instance:mysql",
            "aws_db_instance:mariadb",
            "aws_rds_cluster:mysql",
            "google_sql_database_instance:mysql",
        ],
        embedded: false,
    },
    ServiceDef {
        id: "mongodb",
        name: "MongoDB",
        kind: K::Database,
        deps: &[
            "mongodb",
            "mongoose",
            "pymongo",
            "motor",
            "mongoengine",
            "beanie",
            "go.mongodb.org/mongo-driver",
            "mongoid",
            "mongo",
            "org.mongodb:",
        ],
        images: &["mongo", "mongodb"],
        keywords: &["mongodb", "mongo"],
        acronyms: &[],
        env_prefixes: &["MONGO"],
        tf_types: &["mongodbatlas_", "aws_docdb_cluster"],
        embedded: false,
    },
    ServiceDef {
        id: "mssql",
        name: "Microsoft SQL Server",
        kind: K::Database,
        deps: &[
            "mssql",
            "tedious",
            "pymssql",
            "microsoft.entityframeworkcore.sqlserver",
            "microsoft.data.sqlclient",
            "system.data.sqlclient",
            "github.com/microsoft/go-mssqldb",
            "github.com/denisenkom/go-mssqldb",
            "com.microsoft.sqlserver:mssql-jdbc",
            "activerecord-sqlserver-adapter",
        ],
        images: &[
            "mcr.microsoft.com/mssql/server",
            "mcr.microsoft.com/azure-sql-edge",
        ],
        keywords: &["sql server", "mssql"],
        acronyms: &[],
        env_prefixes: &["MSSQL_"],
        tf_types: &["azurerm_mssql_", "aws_db_instance:sqlserver"],
        embedded: false,
    },
    ServiceDef {
        id: "sqlite",
        name: "SQLite",
        kind: K::Database,
        deps: &[
            "sqlite3",
            "better-sqlite3",
            "@libsql/client",
            "rusqlite",
            "sqlx/sqlite",
            "diesel/sqlite",
            "sea-orm/sqlx-sqlite",
            "github.com/mattn/go-sqlite3",
            "modernc.org/sqlite",
            "github.com/glebarez/sqlite",
            "gorm.io/driver/sqlite",
            "org.xerial:sqlite-jdbc",
            "microsoft.entityframeworkcore.sqlite",
            "microsoft.data.sqlite",
            "aiosqlite",
        ],
        images: &[],
        keywords: &["sqlite"],
        acronyms: &[],
        env_prefixes: &["SQLITE"],
        tf_types: &[],
        embedded: true,
    },
    ServiceDef {
        id: "h2",
        name: "H2 Database",
        kind: K::Database,
        deps: &["com.h2database:h2"],
        images: &[],
        keywords: &[],
        acronyms: &[],
        env_prefixes: &[],
        tf_types: &[],
        embedded: true,
    },
    ServiceDef {
        id: "duckdb",
        name: "DuckDB",
        kind: K::Database,
        deps: &[
            "duckdb",
            "@duckdb/",
            "github.com/marcboeker/go-duckdb",
            "org.duckdb:duckdb_jdbc",
        ],
        images: &[],
        keywords: &["duckdb"],
        acronyms: &[],
        env_prefixes: &["DUCKDB"],
        tf_types: &[],
        embedded: true,
    },
    ServiceDef {
        id: "leveldb",
        name: "LevelDB",
        kind: K::Database,
        deps: &[
            "level",
            "leveldown",
            "classic-level",
            "plyvel",
            "github.com/syndtr/goleveldb",
            "rusty-leveldb",
        ],
        images: &[],
        keywords: &["leveldb"],
        acronyms: &[],
        env_prefixes: &[],
        tf_types: &[],
        embedded: true,
    },
    ServiceDef {
        id: "bbolt",
        name: "BoltDB / bbolt",
        kind: K::Database,
        deps: &["go.etcd.io/bbolt", "github.com/boltdb/bolt"],
        images: &[],
        keywords: &["boltdb", "bbolt"],
        acronyms: &[],
        env_prefixes: &[],
        tf_types: &[],
        embedded: true,
    },
    ServiceDef {
        id: "redis",
        name: "Redis",
        kind: K::Cache,
        deps: &[
            "redis",
            "ioredis",
            "@upstash/redis",
            "deadpool-redis",
            "bb8-redis",
            "fred",
            "github.com/redis/go-redis",
            "github.com/go-redis/redis",
            "github.com/gomodule/redigo",
            "predis/predis",
            "org.springframework.boot:spring-boot-starter-data-redis",
            "io.lettuce:lettuce-core",
        ],
        images: &["redis", "valkey", "redis-stack", "redis-stack-server"],
        keywords: &["redis", "valkey"],
        acronyms: &[],
        env_prefixes: &["REDIS", "UPSTASH_REDIS", "VALKEY"],
        tf_types: &[
            "aws_elasticache_replication_group",
            "aws_elasticache_cluster:redis",
            "azurerm_redis_cache",
            "google_redis_instance",
        ],
        embedded: false,
    },
    ServiceDef {
        id: "memcached",
        name: "Memcached",
        kind: K::Cache,
        deps: &[
            "memcached",
            "memjs",
            "pymemcache",
            "python-memcached",
            "pylibmc",
            "dalli",
            "github.com/bradfitz/gomemcache",
        ],
        images: &["memcached"],
        keywords: &["memcached"],
        acronyms: &[],
        env_prefixes: &["MEMCACHE"],
        tf_types: &["aws_elasticache_cluster:memcached"],
        embedded: false,
    },
    ServiceDef {
        id: "dynamodb",
        name: "Amazon DynamoDB",
        kind: K::Database,
        deps: &[
            "@aws-sdk/client-dynamodb",
            "@aws-sdk/lib-dynamodb",
            "aws-sdk-dynamodb",
            "pynamodb",
            "github.com/aws/aws-sdk-go-v2/service/dynamodb",
            "software.amazon.awssdk:dynamodb",
        ],
        images: &["amazon/dynamodb-local", "dynamodb-local"],
        keywords: &["dynamodb"],
        acronyms: &[],
        env_prefixes: &["DYNAMODB", "DYNAMO_"],
        tf_types: &["aws_dynamodb_table"],
        embedded: false,
    },
    ServiceDef {
        id: "elasticsearch",
        name: "Elasticsearch / OpenSearch",
        kind: K::Search,
        deps: &[
            "@elastic/elasticsearch",
            "@opensearch-project/opensearch",
            "elasticsearch",
            "elasticsearch-dsl",
            "opensearch-py",
            "github.com/elastic/go-elasticsearch",
            "github.com/olivere/elastic",
            "searchkick",
            "org.opensearch.client:",
            "co.elastic.clients:",
        ],
        images: &[
            "elasticsearch",
            "opensearch",
            "elasticsearch/elasticsearch",
            "opensearchproject/opensearch",
        ],
        keywords: &["elasticsearch", "opensearch"],
        acronyms: &[],
        env_prefixes: &["ELASTICSEARCH", "ELASTIC_", "OPENSEARCH"],
        tf_types: &[
            "aws_opensearch_domain",
            "aws_elasticsearch_domain",
            "elasticstack_",
        ],
        embedded: false,
    },
    ServiceDef {
        id: "s3",
        name: "Amazon S3",
        kind: K::ObjectStorage,
        deps: &[
            "@aws-sdk/client-s3",
            "@aws-sdk/s3-request-presigner",
            "aws-sdk-s3",
            "rust-s3",
            "object_store/aws",
            "github.com/aws/aws-sdk-go-v2/service/s3",
            "software.amazon.awssdk:s3",
            "league/flysystem-aws-s3-v3",
            "s3fs",
            "django-storages/s3",
        ],
        images: &["minio/minio", "localstack/localstack"],
        keywords: &["amazon s3", "aws s3", "s3 bucket"],
        acronyms: &["S3"],
        env_prefixes: &["S3_", "AWS_S3", "AWS_BUCKET", "MINIO"],
        tf_types: &["aws_s3_bucket"],
        embedded: false,
    },
    ServiceDef {
        id: "gcs",
        name: "Google Cloud Storage",
        kind: K::ObjectStorage,
        deps: &[
            "@google-cloud/storage",
            "google-cloud-storage",
            "cloud.google.com/go/storage",
            "gcloud-storage",
            "object_store/gcp",
        ],
        images: &["fsouza/fake-gcs-server"],
        keywords: &["google cloud storage"],
        acronyms: &["GCS"],
        env_prefixes: &["GCS_", "GOOGLE_CLOUD_STORAGE"],
        tf_types: &["google_storage_bucket"],
        embedded: false,
    },
    ServiceDef {
        id: "azure-blob",
        name: "Azure Blob Storage",
        kind: K::ObjectStorage,
        deps: &[
            "@azure/storage-blob",
            "azure-storage-blob",
            "azure_storage_blobs",
            "github.com/Azure/azure-sdk-for-go/sdk/storage/azblob",
            "object_store/azure",
        ],
        images: &["mcr.microsoft.com/azure-storage/azurite", "azurite"],
        keywords: &["azure blob", "azure storage"],
        acronyms: &[],
        env_prefixes: &["AZURE_STORAGE", "AZURE_BLOB"],
        tf_types: &["azurerm_storage_account", "azurerm_storage_container"],
        embedded: false,
    },
    ServiceDef {
        id: "sqs",
        name: "Amazon SQS",
        kind: K::Queue,
        deps: &[
            "@aws-sdk/client-sqs",
            "aws-sdk-sqs",
            "sqs-consumer",
            "github.com/aws/aws-sdk-go-v2/service/sqs",
            "software.amazon.awssdk:sqs",
            "shoryuken",
        ],
        images: &["softwaremill/elasticmq", "softwaremill/elasticmq-native"],
        keywords: &["amazon sqs"],
        acronyms: &["SQS"],
        env_prefixes: &["SQS_", "AWS_SQS"],
        tf_types: &["aws_sqs_queue"],
        embedded: false,
    },
    ServiceDef {
        id: "pubsub",
        name: "Google Cloud Pub/Sub",
        kind: K::Queue,
        deps: &[
            "@google-cloud/pubsub",
            "google-cloud-pubsub",
            "cloud.google.com/go/pubsub",
            "google-cloud-pubsub",
        ],
        images: &["google/cloud-sdk:emulators"],
        keywords: &["pub/sub", "pubsub"],
        acronyms: &[],
        env_prefixes: &["PUBSUB_"],
        tf_types: &["google_pubsub_"],
        embedded: false,
    },
    ServiceDef {
        id: "rabbitmq",
        name: "RabbitMQ",
        kind: K::Queue,
        deps: &[
            "amqplib",
            "amqp-connection-manager",
            "pika",
            "aio-pika",
            "lapin",
            "github.com/rabbitmq/amqp091-go",
            "github.com/streadway/amqp",
            "bunny",
            "php-amqplib/php-amqplib",
            "org.springframework.boot:spring-boot-starter-amqp",
        ],
        images: &["rabbitmq"],
        keywords: &["rabbitmq", "amqp"],
        acronyms: &[],
        env_prefixes: &["RABBITMQ", "AMQP_", "RABBIT_"],
        tf_types: &["aws_mq_broker"],
        embedded: false,
    },
    ServiceDef {
        id: "kafka",
        name: "Apache Kafka",
        kind: K::Queue,
        deps: &[
            "kafkajs",
            "@confluentinc/kafka-javascript",
            "node-rdkafka",
            "kafka-python",
            "confluent-kafka",
            "aiokafka",
            "rdkafka",
            "github.com/segmentio/kafka-go",
            "github.com/IBM/sarama",
            "github.com/Shopify/sarama",
            "github.com/confluentinc/confluent-kafka-go",
            "ruby-kafka",
            "karafka",
            "org.apache.kafka:kafka-clients",
            "org.springframework.kafka:spring-kafka",
        ],
        images: &[
            "kafka",
            "cp-kafka",
            "confluentinc/cp-kafka",
            "bitnami/kafka",
            "apache/kafka",
            "redpanda",
        ],
        keywords: &["kafka", "redpanda"],
        acronyms: &[],
        env_prefixes: &["KAFKA"],
        tf_types: &["aws_msk_cluster", "confluent_kafka_"],
        embedded: false,
    },
    ServiceDef {
        id: "stripe",
        name: "Stripe",
        kind: K::Payments,
        deps: &[
            "stripe",
            "@stripe/",
            "async-stripe",
            "stripe-rust",
            "github.com/stripe/stripe-go",
            "stripe/stripe-php",
            "com.stripe:stripe-java",
            "dj-stripe",
        ],
        images: &["stripe/stripe-cli", "stripemock/stripe-mock"],
        keywords: &["stripe"],
        acronyms: &[],
        env_prefixes: &["STRIPE"],
        tf_types: &["stripe_"],
        embedded: false,
    },
    ServiceDef {
        id: "paypal",
        name: "PayPal",
        kind: K::Payments,
        deps: &[
            "@paypal/",
            "paypal-rest-sdk",
            "paypalrestsdk",
            "paypal-checkout-sdk",
            "paypal-server-sdk",
            "paypal/rest-api-sdk-php",
            "github.com/plutov/paypal",
        ],
        images: &[],
        keywords: &["paypal", "braintree"],
        acronyms: &[],
        env_prefixes: &["PAYPAL"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "twilio",
        name: "Twilio",
        kind: K::Sms,
        deps: &[
            "twilio",
            "twilio-ruby",
            "github.com/twilio/twilio-go",
            "twilio/sdk",
            "com.twilio.sdk:twilio",
        ],
        images: &[],
        keywords: &["twilio"],
        acronyms: &[],
        env_prefixes: &["TWILIO"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "sendgrid",
        name: "SendGrid",
        kind: K::Email,
        deps: &[
            "@sendgrid/",
            "sendgrid",
            "sendgrid-ruby",
            "github.com/sendgrid/sendgrid-go",
            "sendgrid/sendgrid",
            "com.sendgrid:sendgrid-java",
        ],
        images: &[],
        keywords: &["sendgrid"],
        acronyms: &[],
        env_prefixes: &["SENDGRID"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "postmark",
        name: "Postmark",
        kind: K::Email,
        deps: &[
            "postmark",
            "postmarker",
            "postmark-rails",
            "wildbit/postmark-php",
            "github.com/keighl/postmark",
        ],
        images: &[],
        keywords: &["postmark", "postmarkapp"],
        acronyms: &[],
        env_prefixes: &["POSTMARK"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "mailgun",
        name: "Mailgun",
        kind: K::Email,
        deps: &[
            "mailgun.js",
            "mailgun-js",
            "mailgun",
            "github.com/mailgun/mailgun-go",
            "mailgun-ruby",
            "mailgun/mailgun-php",
        ],
        images: &[],
        keywords: &["mailgun"],
        acronyms: &[],
        env_prefixes: &["MAILGUN"],
        tf_types: &["mailgun_"],
        embedded: false,
    },
    ServiceDef {
        id: "ses",
        name: "Amazon SES",
        kind: K::Email,
        deps: &[
            "@aws-sdk/client-ses",
            "@aws-sdk/client-sesv2",
            "aws-sdk-ses",
            "aws-sdk-sesv2",
            "github.com/aws/aws-sdk-go-v2/service/ses",
            "github.com/aws/aws-sdk-go-v2/service/sesv2",
            "django-ses",
            "software.amazon.awssdk:ses",
        ],
        images: &[],
        keywords: &["amazon ses", "aws ses"],
        acronyms: &["SES"],
        env_prefixes: &["SES_", "AWS_SES"],
        tf_types: &["aws_ses_", "aws_sesv2_"],
        embedded: false,
    },
    ServiceDef {
        id: "auth0",
        name: "Auth0",
        kind: K::Auth,
        deps: &[
            "auth0",
            "@auth0/",
            "auth0-python",
            "github.com/auth0/",
            "omniauth-auth0",
            "auth0/auth0-php",
            "com.auth0:",
        ],
        images: &[],
        keywords: &["auth0"],
        acronyms: &[],
        env_prefixes: &["AUTH0"],
        tf_types: &["auth0_"],
        embedded: false,
    },
    ServiceDef {
        id: "clerk",
        name: "Clerk",
        kind: K::Auth,
        deps: &[
            "@clerk/",
            "clerk-backend-api",
            "clerk-sdk-python",
            "github.com/clerk/clerk-sdk-go",
            "clerk-sdk-ruby",
        ],
        images: &[],
        // A bare "clerk" is an everyday word; only unambiguous spellings count.
        keywords: &["clerk.com", "clerk auth", "clerk.dev"],
        acronyms: &[],
        env_prefixes: &["CLERK", "NEXT_PUBLIC_CLERK"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "cognito",
        name: "Amazon Cognito",
        kind: K::Auth,
        deps: &[
            "@aws-sdk/client-cognito-identity-provider",
            "amazon-cognito-identity-js",
            "aws-sdk-cognitoidentityprovider",
            "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider",
            "django-cognito-jwt",
            "pycognito",
        ],
        images: &[],
        keywords: &["cognito"],
        acronyms: &[],
        env_prefixes: &["COGNITO", "AWS_COGNITO"],
        tf_types: &["aws_cognito_"],
        embedded: false,
    },
    ServiceDef {
        id: "firebase",
        name: "Firebase",
        kind: K::Auth,
        deps: &[
            "firebase",
            "firebase-admin",
            "firebase-functions",
            "firebase.google.com/go",
            "kreait/firebase-php",
            "com.google.firebase:",
        ],
        images: &[],
        keywords: &["firebase"],
        acronyms: &[],
        env_prefixes: &["FIREBASE", "NEXT_PUBLIC_FIREBASE"],
        tf_types: &["google_firebase_"],
        embedded: false,
    },
    ServiceDef {
        id: "supabase",
        name: "Supabase",
        kind: K::Database,
        deps: &[
            "@supabase/",
            "supabase",
            "supabase-py",
            "github.com/supabase-community/",
        ],
        images: &["supabase/postgres"],
        keywords: &["supabase"],
        acronyms: &[],
        env_prefixes: &["SUPABASE", "NEXT_PUBLIC_SUPABASE"],
        tf_types: &["supabase_"],
        embedded: false,
    },
    ServiceDef {
        id: "next-auth",
        name: "NextAuth.js / Auth.js",
        kind: K::Auth,
        deps: &["next-auth", "@auth/"],
        images: &[],
        keywords: &["nextauth", "next-auth", "auth.js"],
        acronyms: &[],
        env_prefixes: &["NEXTAUTH"],
        tf_types: &[],
        embedded: false,
    },
    ServiceDef {
        id: "okta",
        name: "Okta",
        kind: K::Auth,
        deps: &[
            "@okta/",
            "okta",
            "okta-jwt-verifier",
            "github.com/okta/",
            "omniauth-okta",
            "com.okta.",
        ],
        images: &[],
        keywords: &["okta"],
        acronyms: &[],
        env_prefixes: &["OKTA"],
        tf_types: &["okta_"],
        embedded: false,
    },
    ServiceDef {
        id: "sentry",
        name: "Sentry",
        kind: K::ErrorTracking,
        deps: &[
            "sentry",
            "sentry-",
            "@sentry/",
            "github.com/getsentry/sentry-go",
            "sentry/",
            "io.sentry:",
        ],
        images: &["getsentry/sentry"],
        keywords: &["sentry"],
        acronyms: &[],
        env_prefixes: &["SENTRY", "NEXT_PUBLIC_SENTRY"],
        tf_types: &["sentry_"],
        embedded: false,
    },
    ServiceDef {
        id: "datadog",
        name: "Datadog",
        kind: K::Observability,
        deps: &[
            "dd-trace",
            "datadog-metrics",
            "hot-shots",
            "ddtrace",
            "datadog",
            "datadog-api-client",
            "github.com/DataDog/",
            "gopkg.in/DataDog/",
            "com.datadoghq:",
        ],
        images: &["datadog/agent", "datadoghq/agent"],
        keywords: &["datadog"],
        acronyms: &[],
        env_prefixes: &["DD_", "DATADOG"],
        tf_types: &["datadog_"],
        embedded: false,
    },
    ServiceDef {
        id: "newrelic",
        name: "New Relic",
        kind: K::Observability,
        deps: &[
            "newrelic",
            "@newrelic/",
            "github.com/newrelic/",
            "newrelic_rpm",
            "com.newrelic.agent.java:",
        ],
        images: &["newrelic/infrastructure"],
        keywords: &["new relic", "newrelic"],
        acronyms: &[],
        env_prefixes: &["NEW_RELIC", "NEWRELIC"],
        tf_types: &["newrelic_"],
        embedded: false,
    },
    ServiceDef {
        id: "opentelemetry",
        name: "OpenTelemetry",
        kind: K::Observability,
        deps: &[
            "@opentelemetry/",
            "opentelemetry",
            "opentelemetry-",
            "opentelemetry_",
            "go.opentelemetry.io/",
            "io.opentelemetry:",
            "tracing-opentelemetry",
        ],
        images: &[
            "otel/opentelemetry-collector",
            "otel/opentelemetry-collector-contrib",
        ],
        keywords: &["opentelemetry"],
        acronyms: &["OTel", "OTEL"],
        env_prefixes: &["OTEL_"],
        tf_types: &[],
        embedded: false,
    },
];

pub fn def(id: &str) -> Option<&'static ServiceDef> {
    CATALOG.iter().find(|s| s.id == id)
}

/// A package name matches a catalog pattern: exactly, as a path prefix
/// (`github.com/x/y` matches `github.com/x/y/v5`), or, for a pattern ending
/// in `/`, `-`, `:`, `_` or `.`, as a plain prefix.
pub(crate) fn pattern_matches(pattern: &str, name: &str) -> bool {
    if pattern.ends_with(['/', '-', ':', '_', '.']) {
        return name.starts_with(pattern);
    }
    name == pattern
        || name
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Services a package name points at. Python names compare with `_`/`.` as `-`.
pub fn match_dependency(name: &str) -> Vec<&'static ServiceDef> {
    let lower = name.to_ascii_lowercase();
    let normalized = lower.replace(['_', '.'], "-");
    CATALOG
        .iter()
        .filter(|s| {
            s.deps.iter().any(|p| {
                if is_feature_pattern(p) {
                    return false;
                }
                let p = p.to_ascii_lowercase();
                pattern_matches(&p, &lower) || pattern_matches(&p, &normalized)
            })
        })
        .collect()
}

/// `sqlx/postgres`: a crate/feature (or Python extra) pair rather than a path.
fn is_feature_pattern(p: &str) -> bool {
    p.split_once('/').is_some_and(|(krate, feature)| {
        !feature.is_empty()
            && !feature.contains('/')
            && [
                "sqlx",
                "diesel",
                "sea-orm",
                "object_store",
                "django-storages",
            ]
            .contains(&krate)
    })
}

/// Services a Cargo (or extras-style) dependency enables through a feature.
pub fn match_feature(krate: &str, feature: &str) -> Vec<&'static ServiceDef> {
    let key = format!(
        "{}/{}",
        krate.to_ascii_lowercase(),
        feature.to_ascii_lowercase()
    );
    CATALOG
        .iter()
        .filter(|s| {
            s.deps
                .iter()
                .any(|p| is_feature_pattern(p) && key.starts_with(p))
        })
        .collect()
}

/// The repository part of an image reference: no registry host, no tag or digest.
pub fn image_repository(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    // A tag follows the last ':' only when it comes after the last '/'.
    let no_tag = match (no_digest.rfind(':'), no_digest.rfind('/')) {
        (Some(c), Some(s)) if c > s => &no_digest[..c],
        (Some(c), None) => &no_digest[..c],
        _ => no_digest,
    };
    let mut parts: Vec<&str> = no_tag.split('/').collect();
    if parts.len() > 1
        && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")
    {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") && parts.len() > 1 {
        parts.remove(0);
    }
    parts.join("/").to_ascii_lowercase()
}

/// Services an image (or Helm chart dependency name) points at.
pub fn match_image(image: &str) -> Vec<&'static ServiceDef> {
    let repo = image_repository(image);
    if repo.is_empty() || repo.contains('$') {
        return Vec::new();
    }
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    let full_image = image.to_ascii_lowercase();
    CATALOG
        .iter()
        .filter(|s| {
            s.images.iter().any(|p| {
                if p.contains('/') {
                    let p_repo = image_repository(p);
                    repo == p_repo
                        || repo.ends_with(&format!("/{p_repo}"))
                        || (p.contains(':') && full_image.ends_with(p))
                } else {
                    last == *p
                }
            })
        })
        .collect()
}

/// Services an environment variable name points at.
pub fn match_env_var(name: &str) -> Vec<&'static ServiceDef> {
    CATALOG
        .iter()
        .filter(|s| s.env_prefixes.iter().any(|p| name.starts_with(p)))
        .collect()
}

/// Services a Terraform resource points at; `detail` is its `engine` (or
/// `database_version`) literal when it has one.
pub fn match_terraform(resource_type: &str, detail: Option<&str>) -> Vec<&'static ServiceDef> {
    let detail = detail.map(str::to_ascii_lowercase);
    CATALOG
        .iter()
        .filter(|s| {
            s.tf_types.iter().any(|p| match p.split_once(':') {
                Some((ty, engine)) => {
                    ty == resource_type && detail.as_deref().is_some_and(|d| d.contains(engine))
                }
                None if p.ends_with('_') => resource_type.starts_with(p),
                None => *p == resource_type,
            })
        })
        .collect()
}

struct KeywordIndex {
    words: Regex,
    acronyms: Regex,
    by_word: HashMap<String, &'static str>,
}

static KEYWORDS: LazyLock<KeywordIndex> = LazyLock::new(|| {
    let mut by_word = HashMap::new();
    let mut words = Vec::new();
    let mut acronyms = Vec::new();
    for s in CATALOG {
        for k in s.keywords {
            by_word.insert(k.to_ascii_lowercase(), s.id);
            words.push(regex::escape(k));
        }
        for a in s.acronyms {
            by_word.insert((*a).to_string(), s.id);
            acronyms.push(regex::escape(a));
        }
    }
    // Longest first so `postgresql` wins over `postgres`.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    KeywordIndex {
        words: re(&format!(r"(?i)\b(?:{})\b", words.join("|"))),
        acronyms: re(&format!(r"\b(?:{})\b", acronyms.join("|"))),
        by_word,
    }
});

/// Service ids a line of prose names, with the word that named each.
pub fn match_keywords(line: &str) -> Vec<(&'static str, String)> {
    let index = &*KEYWORDS;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for m in index.words.find_iter(line) {
        if let Some(id) = index.by_word.get(&m.as_str().to_ascii_lowercase()) {
            if !out.iter().any(|(i, _)| i == id) {
                out.push((id, m.as_str().to_string()));
            }
        }
    }
    for m in index.acronyms.find_iter(line) {
        if let Some(id) = index.by_word.get(m.as_str()) {
            if !out.iter().any(|(i, _)| i == id) {
                out.push((id, m.as_str().to_string()));
            }
        }
    }
    out
}

/// How the app uses a service, found in its code or config: a role, or
/// evidence that the app connects to it with its own settings, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub id: &'static str,
    pub role: Option<ServiceRole>,
    /// The app's own connection settings or config select it.
    pub own: bool,
    pub evidence: Evidence,
}

/// Which files a detector reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Files {
    /// Application source code.
    Code,
    /// Config: YAML, TOML, JSON, properties, ini, env files, Prisma schemas, PHP config.
    Config,
    /// One file, by the end of its path.
    Named(&'static str),
}

/// One pattern. The service is `target` or, for `Engine`, capture group 1
/// mapped by [`engine_id`]; the evidence text is `via` with `{1}` replaced
/// by capture group 1 (always a word from the pattern's own list, never a value).
struct Detector {
    files: Files,
    pattern: &'static str,
    /// Every match holds one of these (a test holds each pattern to it):
    /// a file with none skips the pattern. For a case-insensitive pattern
    /// they are lower case and looked up in the lower-cased text.
    needles: &'static [&'static str],
    target: Target,
    role: Option<ServiceRole>,
    own: bool,
    via: &'static str,
}

#[derive(Clone, Copy)]
enum Target {
    Id(&'static str),
    Engine,
}

use ServiceRole as R;
use Target::{Engine, Id};

const DETECTORS: &[Detector] = &[
    // Redis used as a queue: list and stream commands, job libraries.
    Detector {
        files: Files::Code,
        pattern: r"(?i)\.\s*(rpush|lpush|brpop|blpop|brpoplpush|rpoplpush|blmove|lmove|xadd|xreadgroup)\s*\(",
        needles: &[
            "rpush",
            "lpush",
            "brpop",
            "blpop",
            "rpoplpush",
            "blmove",
            "lmove",
            "xadd",
            "xreadgroup",
        ],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "Redis list/stream command {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r#"(?i)\bDo\(\s*"(rpush|lpush|brpop|blpop|xadd)""#,
        needles: &["rpush", "lpush", "brpop", "blpop", "xadd"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "Redis list/stream command {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(List(?:Left|Right)(?:Push|Pop))(?:Async)?\s*\(",
        needles: &["ListLeft", "ListRight"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "Redis list command {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r#"(?:from\s+|require\(\s*|import\s+)['"](bullmq|bull|bee-queue)['"]"#,
        needles: &["bull", "bee-queue"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "job queue library {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"(?m)^\s*(?:from\s+(rq)\s+import|import\s+(rq)\s*$)",
        needles: &["rq"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "job queue library rq",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(Sidekiq)::(?:Worker|Job)\b",
        needles: &["Sidekiq::"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: false,
        via: "Sidekiq job",
    },
    Detector {
        files: Files::Code,
        pattern: r"config\.active_job\.queue_adapter\s*=\s*:(sidekiq|resque)\b",
        needles: &["queue_adapter"],
        target: Id("redis"),
        role: Some(R::Queue),
        own: true,
        via: "Active Job adapter {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r#"(?i)\bbroker(?:_url)?\s*[=:]\s*f?['"](redis|rediss|amqps?|sqs)://"#,
        needles: &["broker"],
        target: Engine,
        role: Some(R::Queue),
        own: true,
        via: "Celery broker {1}://",
    },
    Detector {
        files: Files::Config,
        pattern: r#"(?im)^\s*(?:CELERY_)?BROKER_URL\s*[=:]\s*['"]?(redis|rediss|amqps?|sqs)://"#,
        needles: &["broker_url"],
        target: Engine,
        role: Some(R::Queue),
        own: true,
        via: "broker URL {1}://",
    },
    // Redis used as a cache: writes with an expiry, cache-store config.
    Detector {
        files: Files::Code,
        pattern: r"(?i)\.\s*(setex|psetex|expire|pexpire|expireat|getex)\s*\(",
        needles: &["setex", "expire", "getex"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: false,
        via: "Redis write with expiry ({1})",
    },
    Detector {
        files: Files::Code,
        pattern: r#"(?i)\.set\([^\n]*(?:['"](EX|PX)['"]|\b(EX|PX)\s*:|\b(ex|px)\s*=\s*\d)"#,
        needles: &[".set("],
        target: Id("redis"),
        role: Some(R::Cache),
        own: false,
        via: "Redis SET with a TTL",
    },
    Detector {
        files: Files::Code,
        pattern: r#"(?i)\bDo\(\s*"(setex|expire|set)"[^\n]*"EX""#,
        needles: &["\"ex\""],
        target: Id("redis"),
        role: Some(R::Cache),
        own: false,
        via: "Redis SET with a TTL",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(StringSet|KeyExpire)(?:Async)?\([^\n]*TimeSpan",
        needles: &["TimeSpan"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: false,
        via: "Redis write with expiry ({1})",
    },
    Detector {
        files: Files::Code,
        pattern: r"config\.cache_store\s*=\s*:(redis_cache_store)\b",
        needles: &["cache_store"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: true,
        via: "Rails cache store {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"config\.cache_store\s*=\s*:(mem_cache_store)\b",
        needles: &["cache_store"],
        target: Id("memcached"),
        role: Some(R::Cache),
        own: true,
        via: "Rails cache store {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(django_redis|django\.core\.cache\.backends\.redis)\b",
        needles: &["django"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: true,
        via: "Django cache backend {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(django\.core\.cache\.backends\.memcached)\b",
        needles: &["django"],
        target: Id("memcached"),
        role: Some(R::Cache),
        own: true,
        via: "Django cache backend {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(RedisCacheManager)\b",
        needles: &["RedisCacheManager"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: true,
        via: "Spring {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r"(?m)spring\.cache\.type\s*[=:]\s*(redis)\b",
        needles: &["spring.cache.type"],
        target: Id("redis"),
        role: Some(R::Cache),
        own: true,
        via: "spring.cache.type={1}",
    },
    // Redis pub/sub.
    Detector {
        files: Files::Code,
        pattern: r"\.\s*(psubscribe|pSubscribe)\s*\(",
        needles: &["ubscribe"],
        target: Id("redis"),
        role: Some(R::PubSub),
        own: false,
        via: "Redis pattern subscription",
    },
    Detector {
        files: Files::Named("config/cable.yml"),
        pattern: r"(?m)^\s*adapter:\s*(redis)\b",
        needles: &["adapter:"],
        target: Id("redis"),
        role: Some(R::PubSub),
        own: true,
        via: "Action Cable adapter {1}",
    },
    // Laravel's driver selectors (the value is a driver name, never a secret).
    Detector {
        files: Files::Config,
        pattern: r#"(?m)^\s*(?:CACHE_STORE|CACHE_DRIVER)\s*=\s*"?(redis|memcached|dynamodb)\b"#,
        needles: &["CACHE_"],
        target: Engine,
        role: Some(R::Cache),
        own: true,
        via: "cache driver {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r#"(?m)^\s*QUEUE_CONNECTION\s*=\s*"?(redis|sqs|rabbitmq)\b"#,
        needles: &["_CONNECTION"],
        target: Engine,
        role: Some(R::Queue),
        own: true,
        via: "queue driver {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r#"(?m)^\s*(?:BROADCAST_CONNECTION|BROADCAST_DRIVER)\s*=\s*"?(redis)\b"#,
        needles: &["BROADCAST_"],
        target: Engine,
        role: Some(R::PubSub),
        own: true,
        via: "broadcast driver {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r#"(?m)^\s*DB_CONNECTION\s*=\s*"?(sqlite|mysql|mariadb|pgsql|sqlsrv)\b"#,
        needles: &["_CONNECTION"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "database driver {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r#"(?m)^\s*FILESYSTEM_DISK\s*=\s*"?(s3)\b"#,
        needles: &["FILESYSTEM_DISK"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "filesystem disk {1}",
    },
    Detector {
        files: Files::Named("config/database.php"),
        pattern: r"'default'\s*=>\s*env\(\s*'DB_CONNECTION'\s*,\s*'(sqlite|mysql|mariadb|pgsql|sqlsrv)'",
        needles: &["_CONNECTION"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "default database connection {1}",
    },
    // ORM and driver config naming the app's own database.
    Detector {
        files: Files::Code,
        pattern: r#"['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.(sqlite3|postgresql|postgresql_psycopg2|mysql)['"]"#,
        needles: &["django"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "Django DATABASES engine {1}",
    },
    Detector {
        files: Files::Named("config/database.yml"),
        pattern: r"(?m)^\s*adapter:\s*(sqlite3|postgresql|postgis|mysql2|trilogy|sqlserver)\b",
        needles: &["adapter:"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "Rails database adapter {1}",
    },
    Detector {
        files: Files::Named(".prisma"),
        pattern: r#"(?m)^\s*provider\s*=\s*"(sqlite|postgresql|postgres|mysql|mongodb|sqlserver|cockroachdb)""#,
        needles: &["provider"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "Prisma datasource {1}",
    },
    Detector {
        files: Files::Config,
        pattern: r"\bjdbc:(h2|mysql|mariadb|postgresql|sqlserver|sqlite):",
        needles: &["jdbc:"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "JDBC URL jdbc:{1}:",
    },
    Detector {
        files: Files::Code,
        pattern: r"\.Use(SqlServer|Npgsql|Sqlite|MySql|MySQL)\s*\(",
        needles: &[".Use"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "EF Core Use{1}",
    },
    Detector {
        files: Files::Code,
        pattern: r#"\bsql\.Open\(\s*"(sqlite3|sqlite|postgres|pgx|mysql|sqlserver|mssql)""#,
        needles: &[".Open"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "sql.Open driver {1}",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(?:Async)?(Pg|Sqlite|MySql)(?:Pool|PoolOptions|Connection)\b",
        needles: &["Pool", "Connection"],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "{1} connection pool",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(sqlite3)\.connect\(",
        needles: &["sqlite3.connect("],
        target: Engine,
        role: Some(R::Store),
        own: true,
        via: "sqlite3.connect",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(bolt|bbolt)\.Open\(",
        needles: &[".Open"],
        target: Id("bbolt"),
        role: Some(R::Store),
        own: true,
        via: "{1}.Open",
    },
    Detector {
        files: Files::Code,
        pattern: r"\b(leveldb)\.OpenFile\(",
        needles: &[".Open"],
        target: Id("leveldb"),
        role: Some(R::Store),
        own: true,
        via: "leveldb.OpenFile",
    },
    // Connection URLs and database files in config.
    Detector {
        files: Files::Config,
        pattern: r"(?i)\b(postgres|postgresql|mysql|mariadb|mongodb|mongodb\+srv|redis|rediss|amqp|amqps|sqlite)://",
        needles: &[
            "postgres",
            "mysql://",
            "mariadb://",
            "mongodb",
            "redis",
            "amqp",
            "sqlite://",
        ],
        target: Engine,
        role: None,
        own: true,
        via: "connection URL {1}://",
    },
    Detector {
        files: Files::Config,
        pattern: r#"[\w/-]\.(sqlite3?|db)(?:["'\s,;)]|$)"#,
        needles: &[".sqlite", ".db"],
        target: Id("sqlite"),
        role: Some(R::Store),
        own: true,
        via: "database file *.{1}",
    },
];

/// The service a driver or engine word names.
fn engine_id(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "redis" | "rediss" => "redis",
        "memcached" => "memcached",
        "dynamodb" => "dynamodb",
        "sqs" => "sqs",
        "amqp" | "amqps" | "rabbitmq" => "rabbitmq",
        "sqlite" | "sqlite3" => "sqlite",
        "postgres"
        | "postgresql"
        | "postgresql_psycopg2"
        | "postgis"
        | "pgsql"
        | "pgx"
        | "pg"
        | "npgsql"
        | "cockroachdb" => "postgresql",
        "mysql" | "mysql2" | "mariadb" | "trilogy" => "mysql",
        "sqlserver" | "sqlsrv" | "mssql" => "mssql",
        "mongodb" | "mongodb+srv" => "mongodb",
        "h2" => "h2",
        "s3" => "s3",
        _ => return None,
    })
}

const CODE_EXTENSIONS: &[&str] = &[
    "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "py", "rb", "go", "rs", "java", "kt",
    "scala", "groovy", "cs", "php", "ex", "exs",
];
const CONFIG_EXTENSIONS: &[&str] = &[
    "yml",
    "yaml",
    "toml",
    "json",
    "hjson",
    "json5",
    "ini",
    "cfg",
    "conf",
    "properties",
    "env",
    "xml",
    "php",
];

fn selects(files: Files, path: &str, code: bool, config: bool) -> bool {
    match files {
        Files::Code => code,
        Files::Config => config,
        Files::Named(end) => path.ends_with(end),
    }
}

/// Detectors compiled once, plus sets of all of them so a file costs one
/// pass and only the detectors that matched run again for their captures.
struct Compiled {
    /// The detectors themselves, as sets go: for ASCII texts.
    set: Option<regex::RegexSet>,
    /// The detectors without word boundaries, for texts with non-ASCII
    /// bytes, where a Unicode `\b` would put the whole set on the PikeVM;
    /// it matches wherever the detectors do, and the captures decide.
    relaxed: Option<regex::RegexSet>,
    all: Vec<Regex>,
    needles: Needles,
}

/// The detectors' needles in two literal searches: as written, and (for
/// case-insensitive patterns) lower case over the lower-cased text.
struct Needles {
    exact: LiteralSets,
    /// For each needle of `exact`, the detectors (by bit) it stands for.
    exact_for: Vec<u64>,
    folded: LiteralSets,
    folded_for: Vec<u64>,
    /// The case-insensitive detectors.
    folded_detectors: u64,
}

/// Whether a detector's pattern ignores case (anywhere in it).
fn ignores_case(d: &Detector) -> bool {
    d.pattern.contains("(?i")
}

impl Needles {
    fn new() -> Needles {
        let mut exact = (Vec::new(), Vec::new());
        let mut folded = (Vec::new(), Vec::new());
        let mut folded_detectors = 0u64;
        for (i, d) in DETECTORS.iter().enumerate() {
            let (list, owners) = if ignores_case(d) {
                folded_detectors |= 1 << i;
                (&mut folded.0, &mut folded.1)
            } else {
                (&mut exact.0, &mut exact.1)
            };
            for n in d.needles {
                match list.iter().position(|l| l == n) {
                    Some(at) => owners[at] |= 1u64 << i,
                    None => {
                        list.push(*n);
                        owners.push(1u64 << i);
                    }
                }
            }
        }
        Needles {
            exact: LiteralSets::new(&exact.0),
            exact_for: covering(&exact.0, &exact.1),
            folded: LiteralSets::new(&folded.0),
            folded_for: covering(&folded.0, &folded.1),
            folded_detectors,
        }
    }

    /// The detectors among `selected` whose needles an ASCII text holds.
    fn candidates(&self, text: &str, selected: u64) -> u64 {
        let mut found = 0u64;
        if selected & !self.folded_detectors != 0 {
            self.exact.for_each_hit(text.as_bytes(), |_, id| {
                found |= self.exact_for.get(id).copied().unwrap_or(0);
            });
        }
        if selected & self.folded_detectors != 0 {
            let lower = text.to_ascii_lowercase();
            self.folded.for_each_hit(lower.as_bytes(), |_, id| {
                found |= self.folded_for.get(id).copied().unwrap_or(0);
            });
        }
        found & selected
    }
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    needles: Needles::new(),
    all: DETECTORS.iter().map(|d| re(d.pattern)).collect(),
    set: regex::RegexSet::new(DETECTORS.iter().map(|d| d.pattern)).ok(),
    relaxed: regex::RegexSet::new(
        DETECTORS
            .iter()
            .map(|d| crate::source::text::without_word_boundaries(d.pattern)),
    )
    .ok(),
});

/// A match this far into one line is in generated or minified text.
const MAX_LINE: usize = 400;

/// Files longer than this are bundles or data, not code that configures a store.
const MAX_USAGE_TEXT: usize = 512 * 1024;

/// What one file says about how the app uses its services.
pub fn usage(path: &str, name: &str, text: &str) -> Vec<Usage> {
    let ext = extension(name);
    let lower = name.to_ascii_lowercase();
    let code = CODE_EXTENSIONS.contains(&ext.as_str());
    let config = CONFIG_EXTENSIONS.contains(&ext.as_str())
        || lower.starts_with(".env")
        || lower.ends_with(".prisma");
    let named = DETECTORS
        .iter()
        .any(|d| matches!(d.files, Files::Named(end) if path.ends_with(end)));
    if !(code || config || named) {
        return Vec::new();
    }
    // Minified and vendored bundles (`jquery.min.js`) match anything.
    if text.len() > MAX_USAGE_TEXT
        || lower.contains(".min.")
        || path
            .split('/')
            .any(|d| matches!(d, "node_modules" | "vendor" | "third_party"))
    {
        return Vec::new();
    }
    let Compiled {
        set,
        relaxed,
        all,
        needles,
    } = &*COMPILED;
    let selected = DETECTORS
        .iter()
        .enumerate()
        .filter(|(_, d)| selects(d.files, path, code, config))
        .fold(0u64, |m, (i, _)| m | 1 << i);
    let candidates = if text.is_ascii() {
        // The detectors whose needles the text holds; the rest cannot match.
        needles.candidates(text, selected)
    } else {
        // Non-ASCII text: a case-insensitive pattern may match letters that
        // fold into ASCII (`ſ`, the Kelvin sign), which lower-casing misses;
        // the relaxed set decides. Most files match no detector: `is_match`
        // stops at the first match and runs the DFA's fast loop, several
        // times cheaper per byte than the overlapping search `matches` needs.
        let Some(set) = relaxed.as_ref().or(set.as_ref()) else {
            return Vec::new();
        };
        if !set.is_match(text) {
            return Vec::new();
        }
        let matched = set.matches(text);
        (0..DETECTORS.len())
            .filter(|&i| matched.matched(i))
            .fold(0u64, |m, i| m | 1 << i)
            & selected
    };
    if candidates == 0 {
        return Vec::new();
    }
    let index = crate::source::text::LineIndex::new(text);
    let mut out: Vec<Usage> = Vec::new();
    for (i, (d, rx)) in DETECTORS.iter().zip(all).enumerate() {
        if candidates & (1 << i) == 0 {
            continue;
        }
        for caps in rx.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let word = (1..caps.len())
                .find_map(|i| caps.get(i))
                .map_or("", |m| m.as_str());
            let id = match d.target {
                Id(id) => id,
                Engine => match engine_id(word) {
                    Some(id) => id,
                    None => continue,
                },
            };
            let line = index.line(whole.start());
            let line_text = text
                .get(..whole.start())
                .and_then(|t| t.rsplit('\n').next())
                .map_or(0, str::len);
            if line_text > MAX_LINE {
                continue;
            }
            // One piece of evidence per detector, service and line.
            let via = d.via.replace("{1}", word);
            if out
                .iter()
                .any(|u| u.id == id && u.evidence.location.line == line && u.evidence.via == via)
            {
                continue;
            }
            out.push(Usage {
                id,
                role: d.role,
                own: d.own,
                evidence: Evidence {
                    location: Location::new(path, line, 0),
                    via,
                },
            });
        }
    }
    out
}

/// What a dependency says about use beyond naming a driver: a runtime
/// dependency on an embedded store is the store itself; a job library
/// means the Redis next to it holds a queue.
pub fn dependency_usage(name: &str, dev: bool, path: &str, line: u32) -> Vec<Usage> {
    let mut out = Vec::new();
    let evidence = |via: String| Evidence {
        location: Location::new(path, line, 0),
        via,
    };
    if !dev {
        for def in match_dependency(name).into_iter().filter(|d| d.embedded) {
            out.push(Usage {
                id: def.id,
                role: Some(ServiceRole::Store),
                own: true,
                evidence: evidence(format!("runtime dependency \"{name}\" (embedded store)")),
            });
        }
    }
    let lower = name.to_ascii_lowercase();
    if [
        "sidekiq",
        "resque",
        "bullmq",
        "bull",
        "bee-queue",
        "rq",
        "github.com/hibiken/asynq",
        "github.com/gocraft/work",
    ]
    .contains(&lower.as_str())
    {
        out.push(Usage {
            id: "redis",
            role: Some(ServiceRole::Queue),
            own: false,
            evidence: evidence(format!("job queue dependency \"{name}\"")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: Vec<&'static ServiceDef>) -> Vec<&'static str> {
        v.into_iter().map(|s| s.id).collect()
    }

    #[test]
    fn detector_sets_compile_with_every_detector() {
        let c = &*COMPILED;
        assert_eq!(c.all.len(), DETECTORS.len());
        assert_eq!(c.set.as_ref().map(|s| s.len()), Some(DETECTORS.len()));
        assert_eq!(c.relaxed.as_ref().map(|s| s.len()), Some(DETECTORS.len()));
    }

    #[test]
    fn needles_take_few_searches() {
        // One set of long needles each way, and one of the two short ones:
        // each set is a pass over the text.
        let n = &COMPILED.needles;
        assert_eq!(n.exact.set_sizes().len(), 2, "{:?}", n.exact.set_sizes());
        assert_eq!(n.folded.set_sizes().len(), 1, "{:?}", n.folded.set_sizes());
    }

    #[test]
    fn needles_fit_the_detector_masks_and_case() {
        assert!(
            DETECTORS.len() <= 64,
            "detectors are addressed by bit in a u64"
        );
        for d in DETECTORS {
            assert!(!d.needles.is_empty(), "{} has no needle", d.pattern);
            if ignores_case(d) {
                for n in d.needles {
                    assert_eq!(
                        *n,
                        n.to_ascii_lowercase(),
                        "{}: needles are lower case",
                        d.pattern
                    );
                }
            }
        }
    }

    /// The pattern as a generator of ASCII-leaning matches: proptest's
    /// generator knows no anchors or word boundaries (they only narrow
    /// where a match may stand, not what it holds), and Unicode classes are
    /// narrowed to ASCII so most samples take the ASCII path.
    fn generator_pattern(p: &str) -> String {
        p.replace(r"[^\n]", "[ -~]")
            .replace("(?im)", "(?i)")
            .replace("(?m)", "")
            .replace(r"\b", "")
            .replace('^', "")
            .replace("|$)", "|\\n)")
            .replace("\\s*$", "")
            .replace(r"[\w/-]", "[A-Za-z0-9_/-]")
            .replace(r"\s", "[ \t]")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Every match of every detector holds one of its needles, so a
        /// text without them may skip the pattern.
        #[test]
        fn every_detector_match_holds_a_needle(seed in 0u64..u64::MAX) {
            use proptest::strategy::{Strategy, ValueTree};
            use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
            let mut runner = TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[seed.to_le_bytes(); 4].concat()),
            );
            for d in DETECTORS {
                let g = generator_pattern(d.pattern);
                let strategy = proptest::string::string_regex(&g)
                    .unwrap_or_else(|e| panic!("{g}: {e}"));
                for _ in 0..8 {
                    let sample = strategy.new_tree(&mut runner).unwrap().current();
                    let re = Regex::new(d.pattern).unwrap();
                    // Samples the real pattern rejects (a boundary the
                    // generator dropped) say nothing.
                    if !sample.is_ascii() || !re.is_match(&sample) {
                        continue;
                    }
                    let hay = if ignores_case(d) { sample.to_ascii_lowercase() } else { sample.clone() };
                    proptest::prop_assert!(
                        d.needles.iter().any(|n| hay.contains(n)),
                        "{} matched {:?} without a needle", d.pattern, sample
                    );
                }
            }
        }
    }

    #[test]
    fn non_ascii_text_finds_what_ascii_text_finds() {
        let ascii = "import redis\nr.setex('k', 60, v)\nSidekiq::Worker\n";
        let accented = format!("# café\n{ascii}");
        let found = |t: &str| -> Vec<(&str, u32)> {
            usage("app/x.py", "x.py", t)
                .iter()
                .map(|u| (u.id, u.evidence.location.line))
                .collect()
        };
        let plain = found(ascii);
        assert!(!plain.is_empty());
        let shifted: Vec<_> = found(&accented).iter().map(|(i, l)| (*i, l - 1)).collect();
        assert_eq!(plain, shifted);
    }

    #[test]
    fn catalog_ids_are_unique_and_cover_the_brief() {
        let mut seen: Vec<&str> = CATALOG.iter().map(|s| s.id).collect();
        seen.sort_unstable();
        let before = seen.len();
        seen.dedup();
        assert_eq!(before, seen.len());
        for id in [
            "postgresql",
            "mysql",
            "mongodb",
            "redis",
            "memcached",
            "dynamodb",
            "elasticsearch",
            "s3",
            "gcs",
            "azure-blob",
            "sqs",
            "pubsub",
            "rabbitmq",
            "kafka",
            "stripe",
            "paypal",
            "twilio",
            "sendgrid",
            "postmark",
            "mailgun",
            "ses",
            "auth0",
            "clerk",
            "cognito",
            "firebase",
            "supabase",
            "next-auth",
            "okta",
            "sentry",
            "datadog",
            "newrelic",
            "opentelemetry",
        ] {
            assert!(def(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn dependencies() {
        assert_eq!(ids(match_dependency("pg")), ["postgresql"]);
        assert_eq!(ids(match_dependency("@sentry/nextjs")), ["sentry"]);
        assert_eq!(ids(match_dependency("sentry-sdk")), ["sentry"]);
        assert_eq!(
            ids(match_dependency("github.com/jackc/pgx/v5")),
            ["postgresql"]
        );
        assert_eq!(ids(match_dependency("github.com/IBM/sarama")), ["kafka"]);
        assert_eq!(ids(match_dependency("Psycopg2_Binary")), ["postgresql"]);
        assert!(match_dependency("pgx").is_empty());
        assert!(match_dependency("express").is_empty());
        assert!(match_dependency("sqlx").is_empty());
        assert_eq!(ids(match_feature("sqlx", "postgres")), ["postgresql"]);
        assert!(match_feature("serde", "postgres").is_empty());
    }

    #[test]
    fn images() {
        assert_eq!(
            image_repository("docker.io/library/postgres:16-alpine"),
            "postgres"
        );
        assert_eq!(image_repository("localhost:5000/app:1"), "app");
        assert_eq!(ids(match_image("postgres:16")), ["postgresql"]);
        assert_eq!(ids(match_image("bitnami/redis:7")), ["redis"]);
        assert_eq!(ids(match_image("gcr.io/datadoghq/agent:7")), ["datadog"]);
        assert!(match_image("node:20").is_empty());
        assert!(match_image("${IMAGE}").is_empty());
    }

    #[test]
    fn env_terraform_keywords() {
        assert_eq!(ids(match_env_var("STRIPE_SECRET_KEY")), ["stripe"]);
        assert!(match_env_var("PORT").is_empty());
        assert_eq!(
            ids(match_terraform("aws_db_instance", Some("postgres"))),
            ["postgresql"]
        );
        assert!(match_terraform("aws_db_instance", None).is_empty());
        assert_eq!(ids(match_terraform("aws_s3_bucket", None)), ["s3"]);
        assert_eq!(
            ids(match_terraform("google_pubsub_topic", None)),
            ["pubsub"]
        );
        let found = match_keywords("Uses PostgreSQL, Redis and S3; not s3 or mongoose.");
        let ids: Vec<_> = found.iter().map(|(i, _)| *i).collect();
        assert_eq!(ids, ["postgresql", "redis", "s3"]);
        assert!(match_keywords("the clerk stripes the sentry box")
            .iter()
            .all(|(i, _)| *i != "clerk"));
        assert_eq!(match_keywords("Sign-in by Clerk Auth")[0].0, "clerk");
    }
}
