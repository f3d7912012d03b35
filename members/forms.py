"""The member's real-name verification form; the rules themselves live in members.services."""

from django import forms

from members import selectors


class VerificationRequestForm(forms.Form):
    """Only the shape of the input: members.services.request_verification checks the content,
    so the page and the API refuse the same things with the same words."""

    real_name = forms.CharField(
        label="真实姓名",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "name", "required": True, "placeholder": "与身份证一致"}),
    )
    id_number = forms.CharField(
        label="身份证号码",
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "required": True, "placeholder": "18 位，末位可为 X"}
        ),
    )
    branch = forms.ModelChoiceField(
        label="所在基层工会",
        queryset=selectors.union_branches(),
        required=False,
        empty_label="请选择",
        error_messages={"invalid_choice": "请从列表中选择您所在的基层工会。"},
        widget=forms.Select(attrs={"required": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chinese whatever language the page is shown in: these are the service's words too.
        for field in self.fields.values():
            field.error_messages["max_length"] = "填写的内容过长，请核对。"
