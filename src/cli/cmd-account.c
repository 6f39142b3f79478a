/* concilia account add|list: the beneficiary's collection accounts and the
 * company data every boleto and Pix QR prints. Checking is in
 * gate/charge.c (charge_account_check), storage in ledger/ledger_account.c;
 * this file parses arguments and prints. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "codec/boleto_bank.h"
#include "core/taxid.h"
#include "gate/charge.h"

/* Copies s into a field of n bytes, or says which option is too long. */
static int put(char *dst, size_t n, const char *s, const char *option)
{
	if (strlen(s) >= n) {
		fprintf(stderr, "concilia account: %s: at most %zu characters\n", option, n - 1);
		return -1;
	}
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int valid_label(const char *s)
{
	if (!*s || strlen(s) > 32)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int run_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"label", required_argument, NULL, 'l'},
	    {"bank", required_argument, NULL, 'b'},
	    {"agency", required_argument, NULL, 'a'},
	    {"account", required_argument, NULL, 'c'},
	    {"wallet", required_argument, NULL, 'w'},
	    {"agreement", required_argument, NULL, 'g'},
	    {"opt", required_argument, NULL, 'o'},
	    {"name", required_argument, NULL, 'n'},
	    {"document", required_argument, NULL, 'D'},
	    {"address", required_argument, NULL, 'A'},
	    {"city", required_argument, NULL, 'C'},
	    {"uf", required_argument, NULL, 'u'},
	    {"cep", required_argument, NULL, 'p'},
	    {"pix-key", required_argument, NULL, 'k'},
	    {"nosso-numero-with-dv", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	static struct ledger_account a;
	int c, rc = 0;
	memset(&a, 0, sizeof a);

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1 && rc == 0) {
		switch (c) {
		case 'l':
			if (!valid_label(optarg))
				return cli_usage(&cmd_account,
				                 "--label takes 1-32 letters, digits, '-', '_' or '.'");
			rc = put(a.label, sizeof a.label, optarg, "--label");
			break;
		case 'b': {
			size_t n = strlen(optarg);
			if (n == 0 || n > 3 || strspn(optarg, "0123456789") != n || atoi(optarg) < 1)
				return cli_usage(&cmd_account,
				                 "--bank takes the 3-digit COMPE code (e.g. 341)");
			a.bank = atoi(optarg);
			break;
		}
		case 'a':
			rc = put(a.agency, sizeof a.agency, optarg, "--agency");
			break;
		case 'c':
			rc = put(a.account, sizeof a.account, optarg, "--account");
			break;
		case 'w':
			rc = put(a.wallet, sizeof a.wallet, optarg, "--wallet");
			break;
		case 'g':
			rc = put(a.agreement, sizeof a.agreement, optarg, "--agreement");
			break;
		case 'o': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1] || strchr(optarg, '\n'))
				return cli_usage(&cmd_account, "--opt takes KEY=VALUE");
			if (a.nopts == LEDGER_ACCOUNT_MAX_OPTS)
				return cli_usage(&cmd_account, "too many --opt");
			if ((size_t)(eq - optarg) >= sizeof a.opts[0].key ||
			    strlen(eq + 1) >= sizeof a.opts[0].value)
				return cli_usage(&cmd_account, "--opt: key or value too long");
			memcpy(a.opts[a.nopts].key, optarg, (size_t)(eq - optarg));
			a.opts[a.nopts].key[eq - optarg] = '\0';
			snprintf(a.opts[a.nopts].value, sizeof a.opts[0].value, "%s", eq + 1);
			a.nopts++;
			break;
		}
		case 'n':
			rc = put(a.name, sizeof a.name, optarg, "--name");
			break;
		case 'D':
			rc = put(a.document, sizeof a.document, optarg, "--document");
			break;
		case 'A':
			rc = put(a.address, sizeof a.address, optarg, "--address");
			break;
		case 'C':
			rc = put(a.city, sizeof a.city, optarg, "--city");
			break;
		case 'u':
			rc = put(a.uf, sizeof a.uf, optarg, "--uf");
			break;
		case 'p':
			rc = put(a.cep, sizeof a.cep, optarg, "--cep");
			break;
		case 'k':
			rc = put(a.pix_key, sizeof a.pix_key, optarg, "--pix-key");
			break;
		case 'v':
			a.nn_with_dv = true;
			break;
		default:
			return cli_usage(&cmd_account, NULL);
		}
	}
	if (rc != 0)
		return EXIT_REJECTED;
	if (optind != argc)
		return cli_usage(&cmd_account, "add takes no positional arguments");
	if (!a.bank || !a.agency[0] || !a.account[0] || !a.name[0] || !a.document[0] || !a.address[0] ||
	    !a.city[0])
		return cli_usage(
		    &cmd_account,
		    "add needs --bank, --agency, --account, --name, --document, --address and --city");
	if (!a.label[0])
		snprintf(a.label, sizeof a.label, "%03d", a.bank);

	struct diag d;
	if (charge_account_check(&a, &d) != 0) {
		fprintf(stderr, "concilia account: ");
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	rc = ledger_account_add(lg, &a, &d);
	ledger_close(lg);
	if (rc != 0) {
		cli_print_diag(&d);
		return d.field[0] ? EXIT_REJECTED : EXIT_SYSTEM;
	}
	if (!cli->quiet)
		printf("account '%s' added: bank %03d %s, agency %s, account %s\n", a.label, a.bank,
		       boleto_bank_name_of(a.bank) ? boleto_bank_name_of(a.bank) : "", a.agency, a.account);
	return EXIT_CLEAN;
}

static int print_account(void *ctx, const struct ledger_account *a)
{
	char doc[32], key[100] = "none";
	const char *why;
	int *n = ctx;
	taxid_format(a->document, doc, sizeof doc);
	if (a->pix_key[0])
		snprintf(key, sizeof key, "%s (%s)", a->pix_key,
		         brcode_key_type_name(brcode_key_classify(a->pix_key, strlen(a->pix_key), &why)));
	if ((*n)++)
		putchar('\n');
	printf("%s\n", a->label);
	printf("  bank:        %03d %s\n", a->bank,
	       boleto_bank_name_of(a->bank) ? boleto_bank_name_of(a->bank) : "");
	printf("  agency:      %s\n  account:     %s\n", a->agency, a->account);
	if (a->wallet[0])
		printf("  wallet:      %s\n", a->wallet);
	if (a->agreement[0])
		printf("  agreement:   %s\n", a->agreement);
	for (int i = 0; i < a->nopts; i++)
		printf("  option:      %s=%s\n", a->opts[i].key, a->opts[i].value);
	if (a->nn_with_dv)
		printf("  nosso número: receivables carry its check digit\n");
	printf("  beneficiary: %s, %s %s\n", a->name, strlen(a->document) == 11 ? "CPF" : "CNPJ", doc);
	printf("  address:     %s, %s%s%s", a->address, a->city, a->uf[0] ? "/" : "", a->uf);
	if (a->cep[0])
		printf(", CEP %.5s-%.3s", a->cep, a->cep + 5);
	printf("\n  Pix key:     %s\n", key);
	return 0;
}

static int run_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_account, "list takes no arguments");
	int status, n = 0;
	struct diag d;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	diag_clear(&d);
	int rc = ledger_account_list(lg, print_account, &n, &d);
	ledger_close(lg);
	if (rc != 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (n == 0 && !cli->quiet)
		printf("no accounts: add one with 'concilia account add'\n");
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_SYSTEM;
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cmd_account, "missing subcommand: add or list");
	if (strcmp(argv[1], "add") == 0)
		return run_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return run_list(cli, argc - 1, argv + 1);
	return cli_usage(&cmd_account, "the subcommands are add and list");
}

const struct command cmd_account = {
    .name = "account",
    .usage = "add --bank B --agency A --account C-D [--wallet W] [--agreement V] [--opt KEY=VALUE]...\n"
             "                        --name NAME --document CNPJ --address TEXT --city CITY [--uf UF] "
             "[--cep CEP]\n"
             "                        [--pix-key KEY] [--label L] [--nosso-numero-with-dv]\n"
             "       concilia account list",
    .summary = "the beneficiary's collection accounts: bank data, company data, Pix key",
    .run = run,
};
