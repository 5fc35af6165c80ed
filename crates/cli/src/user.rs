//! `cradle user`: accounts from the command line, chiefly the first site administrator
//! (nobody can be invited before someone can sign in).

use std::io::Read as _;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cradle_domain::account::{Email, check_new_password};
use cradle_store::{NewUser, Store, StoreError};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create an account and print a one-time link with which its owner sets a password
    /// (or read the password from standard input with --password-stdin).
    Add(AddArgs),
    /// Print a one-time link with which someone sets a new password.
    ResetLink {
        /// The account's email address.
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Args)]
pub(crate) struct SiteArgs {
    /// The address people use to reach this Cradle, for the links printed.
    #[arg(
        long,
        env = "CRADLE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        value_name = "URL"
    )]
    site_url: String,
}

#[derive(Args)]
pub(crate) struct AddArgs {
    /// Their email address (they sign in with it).
    #[arg(long)]
    email: String,
    /// Their name, as other members see it.
    #[arg(long)]
    name: String,
    /// Make them a site administrator, who can see and manage every partnership.
    #[arg(long)]
    admin: bool,
    /// Read the password from standard input instead of printing a link (for scripts).
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    site: SiteArgs,
}

pub(crate) async fn run(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(args) => add(store, args).await,
        UserCommand::ResetLink { email, site } => {
            let email: Email = email.parse().context("--email")?;
            let user = store
                .user_by_email(&email)
                .await?
                .with_context(|| format!("there is no account for {email}"))?;
            let link =
                cradle_web::password_link(store, &user.id, site.site_url.trim_end_matches('/'))
                    .await
                    .context("could not make a link")?;
            println!("Send this link to {email} (it works once, for 24 hours):\n{link}");
            Ok(())
        }
    }
}

async fn add(store: &Store, args: AddArgs) -> anyhow::Result<()> {
    let email: Email = args
        .email
        .parse()
        .map_err(|error| anyhow::anyhow!("--email: {error}"))?;
    let name = args.name.trim().to_owned();
    if name.is_empty() {
        bail!("--name: enter their name");
    }
    let password_hash = if args.password_stdin {
        let mut password = String::new();
        std::io::stdin()
            .read_to_string(&mut password)
            .context("could not read the password from standard input")?;
        let password = password.trim_end_matches(['\n', '\r']).to_owned();
        check_new_password(&password, &[email.as_str(), &name])
            .map_err(|problem| anyhow::anyhow!("password: {problem}"))?;
        Some(
            cradle_web::hash_password(password)
                .await
                .context("could not hash the password")?,
        )
    } else {
        None
    };
    let has_password = password_hash.is_some();
    let user = match store
        .create_user(&NewUser {
            email: email.clone(),
            display_name: name,
            password_hash,
            is_site_admin: args.admin,
        })
        .await
    {
        Ok(user) => user,
        Err(StoreError::EmailTaken) => bail!("there is already an account for {email}"),
        Err(error) => return Err(error.into()),
    };
    let kind = if args.admin {
        "site administrator"
    } else {
        "account"
    };
    if has_password {
        println!("Created the {kind} {email}. They can sign in now.");
    } else {
        let link =
            cradle_web::password_link(store, &user.id, args.site.site_url.trim_end_matches('/'))
                .await
                .context("could not make a link")?;
        println!(
            "Created the {kind} {email}. To choose a password and sign in, open this link (it works once, for 24 hours):\n{link}"
        );
    }
    Ok(())
}
