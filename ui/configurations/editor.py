"""The configuration form: every editable field, grouped in tabs the way the portal groups them.

The form holds no configuration of its own: ``read(base)`` applies every field to ``base`` (the
configuration as Stripe has it), so fields the form does not show (Stripe's read-only facts,
parts of an import it has no control for) pass through unchanged. Each tab's title says when a
field in it has a problem (⚠) or is changed (●), since only one tab is visible at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.configurations.edit import owning_field, problems_by_field
from console.configurations.model import PortalConfiguration
from console.configurations.retention import RETENTION_PARAM
from console.configurations.rules import Catalogue
from console.errors import ValidationProblem
from ui.cancellation_reasons import STRIPE_REASONS, reason_label
from ui.configurations.cancellation_pickers import FeedbackOptionsBinding, RetentionCouponBinding
from ui.configurations.fields import (
    PROBLEM_TEXT_STYLE,
    Binding,
    CheckBinding,
    ChoiceBinding,
    MultiChoiceBinding,
    TextBinding,
)
from ui.configurations.products import ProductsBinding
from ui.configurations.tables import MetadataBinding, PauseOptionsBinding

UPDATE = "features[subscription_update]"
CANCEL = "features[subscription_cancel]"
PAUSE = "features[subscription_pause]"
REASON = f"{CANCEL}[cancellation_reason]"

# Each control and what must hold for it to mean anything: a feature's switch on (``param``),
# or a choice made (``param=value``).
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "features[customer_update][allowed_updates]": ("features[customer_update][enabled]",),
    "features[payment_method_update][payment_method_configuration]": (
        "features[payment_method_update][enabled]",
    ),
    **{f"{CANCEL}[{name}]": (f"{CANCEL}[enabled]",) for name in ("mode", "proration_behavior")},
    f"{REASON}[enabled]": (f"{CANCEL}[enabled]",),
    f"{REASON}[options]": (f"{CANCEL}[enabled]", f"{REASON}[enabled]"),
    f"{REASON}[feedback_options]": (f"{CANCEL}[enabled]", f"{REASON}[enabled]"),
    RETENTION_PARAM: (f"{CANCEL}[enabled]",),
    f"{PAUSE}[duration][type]": (f"{PAUSE}[enabled]",),
    f"{PAUSE}[duration][interval_options]": (
        f"{PAUSE}[enabled]",
        f"{PAUSE}[duration][type]=interval_options",
    ),
    **{
        f"{UPDATE}[{name}]": (f"{UPDATE}[enabled]",)
        for name in (
            "default_allowed_updates",
            "proration_behavior",
            "billing_cycle_anchor",
            "schedule_at_period_end",
            "trial_update_behavior",
            "products",
        )
    },
}


class ConfigurationEditor(QWidget):
    changed = Signal(str)  # the parameter of the field just edited

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bindings: dict[str, Binding] = {}
        self._tab_of: dict[str, int] = {}
        self._tab_titles: list[str] = []
        self._loading = False
        self.tabs = QTabWidget()
        self.general_problems = QLabel()
        self.general_problems.setWordWrap(True)
        self.general_problems.setStyleSheet(PROBLEM_TEXT_STYLE)
        self.general_problems.hide()
        self.login_url = QLabel()
        self.login_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general_problems)
        layout.addWidget(self.tabs, 1)
        self._build()

    # --- building ------------------------------------------------------------------------------

    def _tab(
        self,
        title: str,
        bindings: Sequence[Binding | tuple[str, QWidget]],
        *,
        grows: bool = False,
    ) -> None:
        """A tab of fields; unless a field ``grows`` into the space left (a list), the fields
        keep their own heights at the top and the space stays below them."""
        page = QWidget()
        column = QVBoxLayout(page)
        form = QFormLayout()
        column.addLayout(form, 1 if grows else 0)
        if not grows:
            column.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        index = self.tabs.count()
        for entry in bindings:
            if isinstance(entry, tuple):
                form.addRow(entry[0], entry[1])
                continue
            if entry.full_width:
                # A list as wide as the tab, its title above it: in a narrow window the
                # labels' column would leave it little room.
                form.addRow(entry.row.label)
                form.addRow(entry.row)
            else:
                form.addRow(entry.row.label, entry.row)
            self.bindings[entry.param] = entry
            self._tab_of[entry.param] = index
            entry.on_change = self._field_changed
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, title)
        self._tab_titles.append(title)

    def _build(self) -> None:
        proration = [
            ("none", self.tr("No prorations")),
            ("create_prorations", self.tr("Prorate (on the next invoice)")),
            ("always_invoice", self.tr("Prorate and invoice at once")),
        ]
        self._tab(
            self.tr("General"),
            [
                TextBinding("name", "name", self.tr("Name"), self.tr("Only you see it")),
                CheckBinding("active", "active", self.tr("Active"), self.tr("Sessions may use it")),
                TextBinding(
                    "default_return_url",
                    "default_return_url",
                    self.tr("Default return URL"),
                    "https://example.com/account",
                ),
                TextBinding(
                    "business_profile[headline]",
                    "business_profile.headline",
                    self.tr("Headline"),
                    self.tr("Up to 60 characters"),
                ),
                TextBinding(
                    "business_profile[privacy_policy_url]",
                    "business_profile.privacy_policy_url",
                    self.tr("Privacy policy URL"),
                    "https://example.com/privacy",
                ),
                TextBinding(
                    "business_profile[terms_of_service_url]",
                    "business_profile.terms_of_service_url",
                    self.tr("Terms of service URL"),
                    "https://example.com/terms",
                ),
                CheckBinding(
                    "login_page[enabled]",
                    "login_page.enabled",
                    self.tr("Login page"),
                    self.tr("Customers may sign in with a shareable link"),
                ),
                (self.tr("Login link"), self.login_url),
            ],
        )
        self._tab(
            self.tr("Customer information"),
            [
                CheckBinding(
                    "features[customer_update][enabled]",
                    "features.customer_update.enabled",
                    self.tr("Customer details"),
                    self.tr("Customers may update their details"),
                ),
                MultiChoiceBinding(
                    "features[customer_update][allowed_updates]",
                    "features.customer_update.allowed_updates",
                    self.tr("Details they may update"),
                    [
                        ("email", self.tr("Email")),
                        ("name", self.tr("Name")),
                        ("phone", self.tr("Phone")),
                        ("address", self.tr("Billing address")),
                        ("shipping", self.tr("Shipping address")),
                        ("tax_id", self.tr("Tax IDs")),
                    ],
                ),
                CheckBinding(
                    "features[invoice_history][enabled]",
                    "features.invoice_history.enabled",
                    self.tr("Invoice history"),
                    self.tr("Customers see their invoices"),
                ),
                CheckBinding(
                    "features[payment_method_update][enabled]",
                    "features.payment_method_update.enabled",
                    self.tr("Payment methods"),
                    self.tr("Customers may update their payment methods"),
                ),
                TextBinding(
                    "features[payment_method_update][payment_method_configuration]",
                    "features.payment_method_update.payment_method_configuration",
                    self.tr("Payment method configuration"),
                    self.tr("pmc_… (empty: the account's default)"),
                ),
            ],
        )
        self._tab(
            self.tr("Cancellation"),
            [
                CheckBinding(
                    f"{CANCEL}[enabled]",
                    "features.subscription_cancel.enabled",
                    self.tr("Cancellation"),
                    self.tr("Customers may cancel subscriptions"),
                ),
                ChoiceBinding(
                    f"{CANCEL}[mode]",
                    "features.subscription_cancel.mode",
                    self.tr("When"),
                    [
                        ("at_period_end", self.tr("At the end of the billing period")),
                        ("immediately", self.tr("Immediately")),
                    ],
                ),
                ChoiceBinding(
                    f"{CANCEL}[proration_behavior]",
                    "features.subscription_cancel.proration_behavior",
                    self.tr("Proration"),
                    proration,
                ),
                CheckBinding(
                    f"{CANCEL}[cancellation_reason][enabled]",
                    "features.subscription_cancel.cancellation_reason.enabled",
                    self.tr("Reasons"),
                    self.tr("Ask customers why they cancel"),
                ),
                MultiChoiceBinding(
                    f"{CANCEL}[cancellation_reason][options]",
                    "features.subscription_cancel.cancellation_reason.options",
                    self.tr("Reasons offered"),
                    [(reason, reason_label(reason)) for reason in STRIPE_REASONS],
                ),
                FeedbackOptionsBinding(),
                RetentionCouponBinding(),
            ],
        )
        self._tab(
            self.tr("Pause"),
            [
                CheckBinding(
                    "features[subscription_pause][enabled]",
                    "features.subscription_pause.enabled",
                    self.tr("Pausing"),
                    self.tr("Customers may pause subscriptions"),
                ),
                ChoiceBinding(
                    "features[subscription_pause][duration][type]",
                    "features.subscription_pause.duration.type",
                    self.tr("Duration"),
                    [
                        ("interval_options", self.tr("Fixed durations to choose from")),
                        ("indefinite", self.tr("Until the customer resumes")),
                    ],
                ),
                PauseOptionsBinding(),
            ],
        )
        self._tab(
            self.tr("Plan switching"),
            [
                CheckBinding(
                    f"{UPDATE}[enabled]",
                    "features.subscription_update.enabled",
                    self.tr("Plan switching"),
                    self.tr("Customers may change their subscriptions"),
                ),
                MultiChoiceBinding(
                    f"{UPDATE}[default_allowed_updates]",
                    "features.subscription_update.default_allowed_updates",
                    self.tr("They may change"),
                    # Quantity is set per product, under the products (one control).
                    [
                        ("price", self.tr("Price (plan)")),
                        ("promotion_code", self.tr("Promotion code")),
                    ],
                ),
                ChoiceBinding(
                    f"{UPDATE}[proration_behavior]",
                    "features.subscription_update.proration_behavior",
                    self.tr("Proration"),
                    proration,
                ),
                ChoiceBinding(
                    f"{UPDATE}[billing_cycle_anchor]",
                    "features.subscription_update.billing_cycle_anchor",
                    self.tr("Billing cycle"),
                    [
                        ("unchanged", self.tr("Keep the billing date")),
                        ("now", self.tr("Restart the billing cycle now")),
                    ],
                    none_text=self.tr("Stripe's default (keep the billing date)"),
                ),
                MultiChoiceBinding(
                    f"{UPDATE}[schedule_at_period_end]",
                    "features.subscription_update.schedule_at_period_end",
                    self.tr("Wait for the period end when"),
                    [
                        ("decreasing_item_amount", self.tr("The amount goes down")),
                        ("shortening_interval", self.tr("The interval gets shorter")),
                    ],
                ),
                ChoiceBinding(
                    f"{UPDATE}[trial_update_behavior]",
                    "features.subscription_update.trial_update_behavior",
                    self.tr("During a trial"),
                    [
                        ("end_trial", self.tr("A change ends the trial")),
                        ("continue_trial", self.tr("The trial continues")),
                    ],
                ),
                ProductsBinding(),
            ],
            grows=True,
        )
        self._tab(self.tr("Metadata"), [MetadataBinding()], grows=True)

    # --- loading and reading ---------------------------------------------------------------------

    def load(self, config: PortalConfiguration, catalogue: Catalogue) -> None:
        """Shows ``config``; no ``changed`` is emitted for it."""
        self._loading = True
        try:
            self.set_catalogue(catalogue)
            for binding in self.bindings.values():
                binding.load(config)
        finally:
            self._loading = False
        self._enable_dependents()
        self.login_url.setText(
            config.login_page.url or self.tr("(Stripe makes one when the login page is on)")
        )

    def read(self, base: PortalConfiguration) -> PortalConfiguration:
        config = base
        for binding in self.bindings.values():
            config = binding.apply(config)
        return config

    def set_catalogue(self, catalogue: Catalogue) -> None:
        """The account's products, prices, coupons and reasons the pickers offer."""
        for binding in self.bindings.values():
            if isinstance(
                binding, ProductsBinding | FeedbackOptionsBinding | RetentionCouponBinding
            ):
                binding.set_catalogue(catalogue)

    def _field_changed(self, binding: Binding) -> None:
        if not self._loading:
            self._enable_dependents()
            self.changed.emit(binding.param)

    def _enable_dependents(self) -> None:
        """A feature's controls are usable only while the feature is on; their values stay."""
        for param, needs in DEPENDS_ON.items():
            usable = all(self._holds(need) for need in needs)
            row = self.bindings[param].row
            # isEnabledTo: its own state, whether or not the whole form is disabled just now.
            if row.isEnabledTo(self) != usable:
                row.setEnabled(usable)
                row.label.setEnabled(usable)
        self.login_url.setEnabled(self._holds("login_page[enabled]"))

    def _holds(self, need: str) -> bool:
        """``param`` (a check box is on) or ``param=value`` (a choice has that value)."""
        param, _, wanted = need.partition("=")
        binding = self.bindings[param]
        if wanted:
            return bool(binding.value() == wanted)
        return bool(binding.value())

    @property
    def products(self) -> ProductsBinding:
        binding = self.bindings["features[subscription_update][products]"]
        assert isinstance(binding, ProductsBinding)
        return binding

    def binding(self, param: str) -> Binding:
        return self.bindings[param]

    # --- marks ---------------------------------------------------------------------------------

    def show_problems(self, problems: Iterable[ValidationProblem]) -> None:
        """Each problem at its field; those of no field above the tabs."""
        listed = list(problems)
        grouped = problems_by_field(listed, list(self.bindings), fallback="")
        for param, binding in self.bindings.items():
            binding.row.show_problems(grouped.get(param, []))
        self.products.mark_entries(grouped.get(self.products.param, []))
        general = grouped.get("", [])
        self.general_problems.setText("\n".join(self._in_words(p) for p in general))
        self.general_problems.setVisible(bool(general))
        self._retitle()

    def _in_words(self, problem: ValidationProblem) -> str:
        """A problem of no single field: its message after the title of the part of the form
        it is about (a tab, when it names a group of fields), never Stripe's parameter."""
        group = problem.param
        tabs = {self._tab_of[p] for p in self.bindings if group and p.startswith(f"{group}[")}
        if len(tabs) != 1:
            return problem.message  # about the whole form, or nothing the form shows
        title = self._tab_titles[tabs.pop()]
        return self.tr("{title}: {message}").format(title=title, message=problem.message)

    def show_changes(self, params: Iterable[str]) -> None:
        fields = list(self.bindings)
        changed = {owning_field(param, fields) for param in params}
        for param, binding in self.bindings.items():
            binding.row.show_changed(param in changed)
        self._retitle()

    def _retitle(self) -> None:
        for index, title in enumerate(self._tab_titles):
            rows = [b.row for p, b in self.bindings.items() if self._tab_of[p] == index]
            marks = ("⚠ " if any(r.has_problem() for r in rows) else "") + (
                "● " if any(r.is_changed() for r in rows) else ""
            )
            if self.tabs.tabText(index) != marks + title:
                self.tabs.setTabText(index, marks + title)

    def title_of(self, param: str) -> str:
        """The label of the field ``param`` belongs to ("" if the form has none for it)."""
        owner = owning_field(param, list(self.bindings))
        return self.bindings[owner].row.title if owner else ""

    def fields_with_problems(self) -> list[str]:
        return [p for p, b in self.bindings.items() if b.row.has_problem()]

    def fields_changed(self) -> list[str]:
        return [p for p, b in self.bindings.items() if b.row.is_changed()]

    def reveal(self, param: str) -> None:
        """Shows the tab of the field and puts the focus in it (e.g. the field a save refused)."""
        binding = self.bindings.get(param)
        if binding is None:
            return
        self.tabs.setCurrentIndex(self._tab_of[param])
        binding.row.control.setFocus(Qt.FocusReason.OtherFocusReason)
