"""``fieldsurvey demo``: generated interviews of the bundled questionnaire, for
demonstrations, screenshots, merge trials and benchmarks."""

from __future__ import annotations

import argparse

from fieldsurvey.cli.context import CliContext
from fieldsurvey.i18n import _, ngettext


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("expected a whole number of 1 or more, not {value}")
                                         .format(value=text))  # fmt: skip
    return value


def register(subparsers) -> None:
    demo = subparsers.add_parser(
        "demo",
        help=_("generate realistic interviews of the bundled questionnaire"),
        description=_(
            "Generate realistic interviews of the diaspora organizations questionnaire, "
            "answered through the form engine. Without --laptops they are stored in the data "
            "folder; with --laptops K they are spread over K simulated laptops and written as "
            "K export files into --out, with corrections and conflicts for merge trials."
        ),
    )
    demo.add_argument("--interviews", type=_count, required=True, metavar="N",
                      help=_("how many interviews to generate"))  # fmt: skip
    demo.add_argument("--laptops", type=_count, metavar="K",
                      help=_("simulate K laptops and write one export file per laptop"))  # fmt: skip
    demo.add_argument("--out", metavar="FOLDER",
                      help=_("folder for the laptops' export files (with --laptops)"))  # fmt: skip
    demo.add_argument("--seed", type=int, default=0, metavar="S",
                      help=_("random seed: the same seed gives the same interviews"))  # fmt: skip
    demo.add_argument("--json", action="store_true", help=_("print JSON"))
    demo.set_defaults(handler=run_demo, demo_parser=demo)


def run_demo(args, ctx: CliContext) -> int:
    from fieldsurvey.demo import generate_into_store, simulate_laptops
    from fieldsurvey.store import open_store

    if (args.laptops is None) != (args.out is None):
        args.demo_parser.error(_("--laptops and --out go together"))
    if args.laptops:
        report = simulate_laptops(args.interviews, args.laptops, args.out, seed=args.seed)
    else:
        with open_store(ctx.data_dir, settings=ctx.settings) as store:
            report = generate_into_store(store, args.interviews, seed=args.seed)
    counts = report.as_dict()
    if ctx.json_output:
        ctx.print_json(counts)
        return 0
    ctx.out(ngettext("{n} interview generated.", "{n} interviews generated.",
                     counts["interviews"]).format(n=counts["interviews"]))
    # "Label: count" needs no plural forms, whatever the counts and the language.
    ctx.out(_("Finalized: {finalized}, drafts: {drafts}, refused: {refused}; corrections: "
              "{corrections}, conflicts: {conflicts}.").format(
        **{k: counts[k] for k in ("finalized", "drafts", "refused", "corrections",
                                  "conflicts")}))
    for laptop in report.laptops:
        if laptop.file:
            ctx.out(
                ngettext(
                    "{file}: {n} interview; made on this laptop ({enumerator}, {device}): "
                    "{made}",
                    "{file}: {n} interviews; made on this laptop ({enumerator}, {device}): "
                    "{made}",
                    laptop.in_file,
                ).format(file=laptop.file, n=laptop.in_file, enumerator=laptop.enumerator,
                         device=laptop.device_id, made=laptop.interviews)
            )
    if not args.laptops:
        ctx.out(_("Stored in {folder}").format(folder=ctx.data_dir.root))
    return 0
